using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam;

namespace Cloudkeep.Services.Sts.Operations;

/// <summary>
/// sts:GetSessionToken: temporary credentials for an IAM user (or root) itself, usually to prove
/// MFA. AWS requires no permission for it; session credentials cannot call it.
/// </summary>
public sealed class GetSessionToken(IamContext iam) : IOperationHandler
{
    public string Service => "sts";

    public string Operation => "GetSessionToken";

    public ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ValueTask.FromResult(AuthorizationTarget.NoPermissionRequired("sts:GetSessionToken") with
        {
            Refusal = request.Caller.Session is not null ? CommonErrors.AccessDenied.ToException("Cannot call GetSessionToken with session credentials") : null,
        });
    }

    public async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = request.Caller;
        var root = caller.Kind == PrincipalKind.Root;
        var duration = (int)(request.Input.OptLong("DurationSeconds") ?? (root ? 3600 : 43200));
        if (duration < 900 || duration > (root ? 3600 : 129600))
        {
            throw CommonErrors.ValidationError.ToException($"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value {(root ? "less than or equal to 3600 for the root user" : "between 900 and 129600")}");
        }

        var now = iam.Now;
        DateTimeOffset? mfaTime = null;
        if (request.Input.OptStr("SerialNumber") is { } serial)
        {
            // The code is consumed (a replayed code is refused) only once the request is authorized.
            var code = request.Input.OptStr("TokenCode") ?? throw CommonErrors.MissingParameter.ToException("TokenCode is required with SerialNumber.");
            if (!await new MfaCodes(iam).ConsumeAsync(serial, caller.Arn, code, cancellationToken))
            {
                throw CommonErrors.AccessDenied.ToException("MultiFactorAuthentication failed with invalid MFA one time pass code.");
            }

            mfaTime = now;
        }

        var (_, credentials) = StsCredentials.Issue(iam, (keyId, secret) => new SessionToken(
            keyId, secret, caller.Kind, caller.AccountId, caller.Arn, caller.UserId, now, now.AddSeconds(duration),
            mfaTime is not null, mfaTime, null, null, null, [], new Dictionary<string, string>(), [], false));
        return new OperationResult(new JsonObject { ["Credentials"] = credentials });
    }
}
