using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListGroups(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var groups = (await Iam.Store.ListAsync<IamGroup>(Account(request), IamKinds.Group, cancellationToken)).Where(g => Paging.PathMatches(g.Path, request.Input));
        var (page, truncated, marker) = Paging.Page(groups, g => g.GroupName.ToUpperInvariant(), request.Input);
        return new OperationResult(Paging.Result("Groups", page.Select(IamOutputs.Group), truncated, marker));
    }
}
