using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:GetAccessKeyLastUsed: when, where and for what service a key last signed a request ("N/A" if never).</summary>
public sealed class GetAccessKeyLastUsed(IamContext iam) : IamOperation(iam)
{
    protected override async ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var key = await Iam.AccessKeys.GetAsync(request.Input.Str("AccessKeyId"), cancellationToken);
        return key?.UserName is { } user ? IamArns.User(key.AccountId, "/", user) : "*";
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var keyId = request.Input.Str("AccessKeyId");
        var key = await Iam.AccessKeys.GetAsync(keyId, cancellationToken);
        if (key is null || key.AccountId != Account(request))
        {
            throw IamErrors.NoSuchEntity.ToException($"The Access Key with id {keyId} cannot be found.");
        }

        var use = await Iam.AccessKeys.GetLastUseAsync(keyId, cancellationToken);
        var lastUsed = new JsonObject
        {
            ["ServiceName"] = use?.Service ?? "N/A",
            ["Region"] = use?.Region ?? "N/A",
        };
        if (use?.When is { } when)
        {
            lastUsed["LastUsedDate"] = JsonValue.Create(when);
        }

        return new OperationResult(new JsonObject { ["UserName"] = key.UserName ?? key.AccountId, ["AccessKeyLastUsed"] = lastUsed });
    }
}
