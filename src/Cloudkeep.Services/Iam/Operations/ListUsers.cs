using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListUsers(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var users = (await Iam.Store.ListAsync<IamUser>(Account(request), IamKinds.User, cancellationToken)).Where(u => Paging.PathMatches(u.Path, request.Input));
        var (page, truncated, marker) = Paging.Page(users, u => u.UserName.ToUpperInvariant(), request.Input);
        return new OperationResult(Paging.Result("Users", page.Select(IamOutputs.User), truncated, marker));
    }
}
