using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListRoles(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var (page, truncated, marker) = await Iam.Store.PageAsync<IamRole>(
            Account(request), IamKinds.Role, r => r.RoleName, r => Paging.PathMatches(r.Path, request.Input), request.Input, cancellationToken);
        return new OperationResult(Paging.Result("Roles", page.Select(IamOutputs.Role), truncated, marker));
    }
}
