using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Sts.Operations;

/// <summary>
/// sts:AssumeRole. The pipeline checks the role's trust policy (a required resource policy) and,
/// as AWS does, the caller's identity policies, both sides when the role is in another account.
/// An MFA code given with the call is checked before that, so trust policies that require
/// aws:MultiFactorAuthPresent see it; it is consumed when the session is issued, never twice.
/// </summary>
public sealed class AssumeRole(IamContext iam) : IOperationHandler
{
    public const int MinDuration = 900;
    public const int ChainedMaxDuration = 3600;

    public string Service => "sts";

    public string Operation => "AssumeRole";

    public async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var roleArn = input.Str("RoleArn");
        var role = await FindRoleAsync(roleArn, cancellationToken);
        if (role is not null)
        {
            request.Facts.Set(role);
        }

        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["sts:RoleSessionName"] = [input.Str("RoleSessionName")],
        };
        if (input.OptStr("ExternalId") is { } externalId)
        {
            keys["sts:ExternalId"] = [externalId];
        }

        if (input.OptStr("SourceIdentity") is { } sourceIdentity)
        {
            keys["sts:SourceIdentity"] = [sourceIdentity];
        }

        var tags = input.OptArray("Tags").Objects().Select(t => (Key: t.Str("Key"), Value: t.Str("Value"))).ToList();
        foreach (var (key, value) in tags)
        {
            keys["aws:RequestTag/" + key] = [value];
        }

        if (tags.Count > 0)
        {
            keys["aws:TagKeys"] = [.. tags.Select(t => t.Key)];
        }

        // The MFA code is checked here, where the request is described, because its result is the
        // aws:MultiFactorAuthPresent key the trust policy decides on; it is consumed after authorization.
        if (input.OptStr("SerialNumber") is { } serial && input.OptStr("TokenCode") is { } code)
        {
            var device = await new MfaCodes(iam).FindAsync(serial, cancellationToken);
            var valid = device is not null && device.UserName is not null && request.Caller.UserName is { } user
                && string.Equals(device.UserName, user, StringComparison.OrdinalIgnoreCase) && new MfaCodes(iam).MatchStep(device, code) is not null;
            if (!valid)
            {
                throw CommonErrors.AccessDenied.ToException("MultiFactorAuthentication failed with invalid MFA one time pass code.");
            }

            keys["aws:MultiFactorAuthPresent"] = ["true"];
            keys["aws:MultiFactorAuthAge"] = ["0"];
        }
        else if (request.Caller.Session is not { MultiFactorAuthPresent: true })
        {
            keys["aws:MultiFactorAuthPresent"] = ["false"];
        }

        // Otherwise the caller's own session carries MFA (GetSessionToken with a code, the
        // "MFA-protected API access" pattern): the pipeline sets aws:MultiFactorAuthPresent and
        // aws:MultiFactorAuthAge from it, and no code is needed here.
        CompiledPolicy? trust = null;
        if (role is not null)
        {
            trust = iam.Policies.GetOrCompile(role.RoleId, "trust:" + IamContext.Fingerprint(role.AssumeRolePolicyDocument), role.AssumeRolePolicyDocument, PolicyKind.TrustPolicy).GetPolicyOrThrow();
        }

        var roleAccount = IamArns.AccountOf(roleArn);
        AuthorizationTarget Target(string action) => new(action, [roleArn], keys)
        {
            ResourcePolicy = trust,
            ResourcePolicyRequired = true,
            ResourceAccount = roleAccount,
        };

        // Passing session tags needs sts:TagSession, and setting a source identity sts:SetSourceIdentity, allowed
        // like sts:AssumeRole itself, trust policy included (IAM User Guide: "Passing session tags in AWS STS",
        // "Permissions required to set source identity").
        List<AuthorizationTarget> further = [];
        if (tags.Count > 0)
        {
            further.Add(Target("sts:TagSession"));
        }

        if (keys.ContainsKey("sts:SourceIdentity"))
        {
            further.Add(Target("sts:SetSourceIdentity"));
        }

        return Target("sts:AssumeRole") with
        {
            AlsoRequired = further,
            Refusal = request.Caller.Kind == PrincipalKind.Root ? CommonErrors.AccessDenied.ToException("Roles may not be assumed by root accounts.") : null,
        };
    }

    public async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var caller = request.Caller;
        var roleArn = input.Str("RoleArn");
        var sessionName = input.Str("RoleSessionName");
        var role = (request.Facts.Find<IamRole>() ?? await FindRoleAsync(roleArn, cancellationToken))
            ?? throw CommonErrors.AccessDenied.ToException($"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        var chained = caller.Kind == PrincipalKind.AssumedRole;
        var duration = (int)(input.OptLong("DurationSeconds") ?? 3600);
        if (chained && duration > ChainedMaxDuration)
        {
            throw CommonErrors.ValidationError.ToException("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }

        if (duration > role.MaxSessionDuration)
        {
            throw CommonErrors.ValidationError.ToException("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        var inlinePolicy = input.OptStr("Policy");
        if (inlinePolicy is not null)
        {
            var parsed = PolicyDocument.Parse(inlinePolicy, PolicyKind.SessionPolicy);
            if (!parsed.IsValid)
            {
                var error = parsed.Errors[0].Code == PolicyErrorCode.PackedPolicyTooLarge ? StsErrors.PackedPolicyTooLarge : StsErrors.MalformedPolicyDocument;
                throw error.ToException(string.Join(" ", parsed.Errors.Select(e => e.Message)));
            }
        }

        var policyArns = input.OptArray("PolicyArns").Objects().Select(p => p.Str("arn")).ToList();
        foreach (var arn in policyArns)
        {
            if (await iam.Store.GetManagedPolicyAsync(arn, cancellationToken) is null)
            {
                throw CommonErrors.InvalidParameterValue.ToException($"The policy {arn} does not exist or is not attachable.");
            }
        }

        var now = iam.Now;
        DateTimeOffset? mfaTime = null;
        if (input.OptStr("SerialNumber") is { } serial)
        {
            var code = input.OptStr("TokenCode") ?? throw CommonErrors.MissingParameter.ToException("TokenCode is required with SerialNumber.");
            if (!await new MfaCodes(iam).ConsumeAsync(serial, caller.Arn, code, cancellationToken))
            {
                throw CommonErrors.AccessDenied.ToException("MultiFactorAuthentication failed with invalid MFA one time pass code.");
            }

            mfaTime = now;
        }
        else if (caller.Session is { MultiFactorAuthPresent: true } callerSession)
        {
            // A session that proved MFA passes it on (GetSessionToken with a code, a console sign-in with
            // one): the role session's aws:MultiFactorAuthPresent is true and its age runs from that proof.
            mfaTime = callerSession.MultiFactorAuthTime ?? callerSession.IssuedAt;
        }

        // Session tags: the role's tags, then tags passed on by the calling session, then this call's.
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in role.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        var transitive = new List<string>();
        if (caller.Session is { } session)
        {
            foreach (var key in session.TransitiveTagKeys)
            {
                if (session.Tags.TryGetValue(key, out var value))
                {
                    tags[key] = value;
                    transitive.Add(key);
                }
            }
        }

        foreach (var tag in input.OptArray("Tags").Objects())
        {
            tags[tag.Str("Key")] = tag.Str("Value");
        }

        transitive.AddRange(input.OptArray("TransitiveTagKeys").Strings());
        var roleAccount = IamArns.AccountOf(roleArn);
        var assumedArn = IamArns.AssumedRole(roleAccount, role.RoleName, sessionName);
        var sourceIdentity = input.OptStr("SourceIdentity") ?? caller.Session?.SourceIdentity;
        var (_, credentials) = StsCredentials.Issue(iam, (keyId, secret) => new SessionToken(
            keyId, secret, PrincipalKind.AssumedRole, roleAccount, assumedArn, $"{role.RoleId}:{sessionName}",
            now, now.AddSeconds(duration), mfaTime is not null, mfaTime, sourceIdentity, role.Arn,
            inlinePolicy, policyArns, tags, [.. transitive.Distinct(StringComparer.OrdinalIgnoreCase)], chained));

        var output = new JsonObject
        {
            ["Credentials"] = credentials,
            ["AssumedRoleUser"] = new JsonObject { ["AssumedRoleId"] = $"{role.RoleId}:{sessionName}", ["Arn"] = assumedArn },
            ["PackedPolicySize"] = inlinePolicy is null && policyArns.Count == 0 && tags.Count == 0 ? 0 : Math.Min(100, ((inlinePolicy?.Length ?? 0) + (policyArns.Count * 64) + (tags.Count * 32)) * 100 / 2048),
        };
        if (sourceIdentity is not null)
        {
            output["SourceIdentity"] = sourceIdentity;
        }

        return new OperationResult(output);
    }

    private async Task<IamRole?> FindRoleAsync(string roleArn, CancellationToken cancellationToken)
    {
        if (!IamArns.TryParseRoleArn(roleArn, out var account, out var name))
        {
            throw CommonErrors.ValidationError.ToException($"{roleArn} is invalid");
        }

        var role = await iam.Store.GetAsync<IamRole>(account, IamKinds.Role, name, cancellationToken);
        return role?.Arn == roleArn ? role : null;
    }
}
