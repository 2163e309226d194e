using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:CreateAccessKey: an AKIA id and a 40-character secret, returned once and kept only sealed.
/// Two keys per user at most (LimitExceeded). Without UserName it is the caller's own key.
/// </summary>
public sealed class CreateAccessKey(IamContext iam) : IamOperation(iam)
{
    public const int MaxKeysPerUser = 2;

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var userName = request.Input.OptStr("UserName") ?? request.Caller.UserName;
        if (userName is not null)
        {
            var user = await Iam.Store.RequireAsync<IamUser>(account, IamKinds.User, userName, () => IamErrors.NoSuchUser(userName), cancellationToken);
            userName = user.UserName;
        }
        else if (request.Caller.Kind != PrincipalKind.Root)
        {
            throw CommonErrors.ValidationError.ToException("Must specify userName when calling with non-User credentials");
        }

        if ((await Iam.AccessKeys.ListForOwnerAsync(account, userName, cancellationToken)).Count >= MaxKeysPerUser)
        {
            throw IamErrors.LimitExceeded.ToException($"Cannot exceed quota for AccessKeysPerUser: {MaxKeysPerUser}");
        }

        var keyId = AwsIds.NewAccessKeyId();
        var secret = AwsIds.NewSecretAccessKey();
        var now = Iam.EntityTime;
        await Iam.AccessKeys.CreateAsync(new AccessKeyRecord(keyId, account, userName, Iam.Secrets.SealString(secret, CredentialResolver.SecretPurpose), AccessKeyStatus.Active, now), cancellationToken);
        var key = new JsonObject
        {
            ["AccessKeyId"] = keyId,
            ["Status"] = AccessKeyStatus.Active,
            ["SecretAccessKey"] = secret,
            ["CreateDate"] = JsonValue.Create(now),
        };
        key["UserName"] = userName ?? account;
        return new OperationResult(new JsonObject { ["AccessKey"] = key });
    }
}
