using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListGroups(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var (page, truncated, marker) = await Iam.Store.PageAsync<IamGroup>(
            Account(request), IamKinds.Group, g => g.GroupName, g => Paging.PathMatches(g.Path, request.Input), request.Input, cancellationToken);
        return new OperationResult(Paging.Result("Groups", page.Select(IamOutputs.Group), truncated, marker));
    }
}
