using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListRoles(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var roles = (await Iam.Store.ListAsync<IamRole>(Account(request), IamKinds.Role, cancellationToken)).Where(r => Paging.PathMatches(r.Path, request.Input));
        var (page, truncated, marker) = Paging.Page(roles, r => r.RoleName.ToUpperInvariant(), request.Input);
        return new OperationResult(Paging.Result("Roles", page.Select(IamOutputs.Role), truncated, marker));
    }
}
