using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam;

namespace Cloudkeep.Services.Sts.Operations;

/// <summary>
/// sts:GetAccessKeyInfo: the account an access key belongs to. Long-term keys are looked up; a
/// temporary key id is self-describing only to its own session (its token holds the account).
/// </summary>
public sealed class GetAccessKeyInfo(IamContext iam) : IOperationHandler
{
    public string Service => "sts";

    public string Operation => "GetAccessKeyInfo";

    public ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new AuthorizationTarget("sts:GetAccessKeyInfo", ["*"]));

    public async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keyId = request.Input.Str("AccessKeyId");
        string? account = null;
        if (keyId == request.Caller.AccessKeyId)
        {
            account = request.Caller.AccountId;
        }
        else if (await iam.AccessKeys.GetAsync(keyId, cancellationToken) is { } key)
        {
            account = key.AccountId;
        }

        return account is null
            ? throw CommonErrors.InvalidParameterValue.ToException($"The access key {keyId} is not valid.")
            : new OperationResult(new JsonObject { ["Account"] = account });
    }
}
