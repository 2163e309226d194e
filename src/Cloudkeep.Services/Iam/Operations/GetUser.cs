using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:GetUser; without UserName it describes the calling user (root: the account's root user).</summary>
public sealed class GetUser(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var name = request.Input.OptStr("UserName") ?? request.Caller.UserName;
        if (name is null)
        {
            if (request.Caller.Kind == Core.Identity.PrincipalKind.Root)
            {
                return new OperationResult(new JsonObject
                {
                    ["User"] = new JsonObject
                    {
                        ["Path"] = "/", ["UserName"] = request.Caller.AccountId, ["UserId"] = request.Caller.AccountId,
                        ["Arn"] = request.Caller.Arn, ["CreateDate"] = JsonValue.Create(DateTimeOffset.UnixEpoch),
                    },
                });
            }

            throw CommonErrors.ValidationError.ToException("Must specify userName when calling with non-User credentials");
        }

        var user = await Iam.Store.RequireAsync<IamUser>(Account(request), IamKinds.User, name, () => IamErrors.NoSuchUser(name), cancellationToken);
        return new OperationResult(new JsonObject { ["User"] = IamOutputs.User(user) });
    }
}
