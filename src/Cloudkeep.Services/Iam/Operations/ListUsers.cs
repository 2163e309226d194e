using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListUsers(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var (page, truncated, marker) = await Iam.Store.PageAsync<IamUser>(
            Account(request), IamKinds.User, u => u.UserName, u => Paging.PathMatches(u.Path, request.Input), request.Input, cancellationToken);
        return new OperationResult(Paging.Result("Users", page.Select(IamOutputs.User), truncated, marker));
    }
}
