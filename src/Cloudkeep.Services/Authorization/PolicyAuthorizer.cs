using System.Globalization;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Organizations;

namespace Cloudkeep.Services.Authorization;

/// <summary>
/// The pipeline's authorization step: gathers the policies that apply to the caller (identity
/// policies of the user and its groups or of the role, the permissions boundary, the session
/// policies), the resource policy the operation declared and the request's condition keys, and asks
/// the policy engine. A denial answers AccessDenied with the engine's enhanced message.
/// </summary>
public sealed class PolicyAuthorizer : IRequestAuthorizer
{
    public static readonly TimeSpan DefaultCacheLifetime = TimeSpan.FromSeconds(5);
    private const int MaxCachedCallers = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Generation, DateTimeOffset Until, PrincipalPolicies Value)> _principals = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Generation, DateTimeOffset Until, IReadOnlyList<IReadOnlyList<CompiledPolicy>>? Value)> _scpLevels = new(StringComparer.Ordinal);
    private readonly IamStore _store;
    private readonly PolicyCache _cache;
    private readonly TimeProvider _time;
    private readonly ServiceControlPolicies? _scps;
    private readonly TimeSpan _lifetime;

    public PolicyAuthorizer(IamStore store, PolicyCache cache, TimeProvider time, ServiceControlPolicies? scps = null, TimeSpan? cacheLifetime = null)
    {
        _store = store;
        _cache = cache;
        _time = time;
        _scps = scps;
        _lifetime = cacheLifetime ?? DefaultCacheLifetime;
    }

    public async ValueTask AuthorizeAsync(Caller caller, AuthorizationTarget target, OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        // A refusal the operation declared holds whatever the policies say (both answers are AccessDenied).
        if (target.Refusal is { } refusal)
        {
            throw refusal;
        }

        if (target.RequiresNoPermission && (!caller.IsAnonymous || target.AnonymousAllowed))
        {
            return;
        }

        var policies = await PoliciesOfAsync(caller, cancellationToken);
        var context = BuildContext(caller, request, target, policies.PrincipalTags);
        var principal = ToPrincipal(caller);
        var scpLevels = caller.IsAnonymous || _scps is null ? null : await ScpLevelsOfAsync(caller.AccountId, cancellationToken);
        foreach (var resource in target.Resources)
        {
            var decision = PolicyEvaluator.Evaluate(new EvaluationRequest
            {
                Principal = principal,
                Action = target.Action,
                Resource = resource,
                ResourceAccount = target.ResourceAccount ?? (caller.IsAnonymous ? null : caller.AccountId),
                Context = context,
                IdentityPolicies = policies.Identity,
                PermissionsBoundary = policies.Boundary,
                SessionPolicies = policies.Session,
                ResourcePolicy = target.ResourcePolicy,
                ResourcePolicyRequired = target.ResourcePolicyRequired,
                ScpLevels = scpLevels,
            });
            if (!decision.IsAllowed && target.AnswersDeniedResources)
            {
                request.DeniedResources.Add((target.Action, resource));
            }
            else if (!decision.IsAllowed)
            {
                throw target.DeniedAs ?? CommonErrors.AccessDenied.ToException(caller.IsAnonymous ? "Access Denied" : decision.ToAccessDeniedMessage());
            }
        }

        foreach (var further in target.AlsoRequired)
        {
            await AuthorizeAsync(caller, further, request, cancellationToken);
        }

        if (target.CallerAccountRequired is { } account && caller.AccountId != account)
        {
            throw CommonErrors.AccessDenied.ToException("You don't have permissions to access this resource.");
        }

    }

    /// <summary>
    /// A caller's policies, cached for a few seconds and dropped when the store's generation moves: at once
    /// when this node changes IAM, and when another node's change is heard on the change bus (else within the lifetime).
    /// </summary>
    private async Task<PrincipalPolicies> PoliciesOfAsync(Caller caller, CancellationToken cancellationToken)
    {
        var key = caller.Session is null ? caller.Arn : caller.AccessKeyId ?? caller.Arn;
        var now = _time.GetUtcNow();
        var generation = _store.Generation;
        if (_principals.TryGetValue(key, out var cached) && cached.Generation == generation && cached.Until > now)
        {
            return cached.Value;
        }

        var loaded = await PrincipalPolicies.LoadAsync(_store, _cache, caller, cancellationToken);
        Remember(_principals, key, (generation, now + _lifetime, loaded));
        return loaded;
    }

    private async Task<IReadOnlyList<IReadOnlyList<CompiledPolicy>>?> ScpLevelsOfAsync(string accountId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var generation = _store.Generation;
        if (_scpLevels.TryGetValue(accountId, out var cached) && cached.Generation == generation && cached.Until > now)
        {
            return cached.Value;
        }

        var loaded = await _scps!.LevelsForAsync(accountId, _cache, cancellationToken);
        Remember(_scpLevels, accountId, (generation, now + _lifetime, loaded));
        return loaded;
    }

    private static void Remember<T>(System.Collections.Concurrent.ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= MaxCachedCallers)
        {
            cache.Clear();
        }

        cache[key] = value;
    }

    public static PrincipalInfo ToPrincipal(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Kind switch
        {
            PrincipalKind.Anonymous => PrincipalInfo.Anonymous,
            PrincipalKind.Root => new PrincipalInfo(PrincipalType.Root, caller.Arn, caller.AccountId) { UserId = caller.UserId },
            PrincipalKind.User => new PrincipalInfo(PrincipalType.User, caller.Arn, caller.AccountId) { UserId = caller.UserId },
            PrincipalKind.AssumedRole => new PrincipalInfo(PrincipalType.AssumedRole, caller.Arn, caller.AccountId) { UserId = caller.UserId, RoleArn = caller.Session?.RoleArn },
            _ => new PrincipalInfo(PrincipalType.FederatedUser, caller.Arn, caller.AccountId) { UserId = caller.UserId },
        };
    }

    /// <summary>The global condition keys of "AWS global condition context keys", as far as this request has them.</summary>
    private RequestContext BuildContext(Caller caller, OperationRequest request, AuthorizationTarget target, IReadOnlyDictionary<string, string> principalTags)
    {
        var now = _time.GetUtcNow();
        var builder = new RequestContextBuilder()
            .Set("aws:CurrentTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Set("aws:EpochTime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .Set("aws:SecureTransport", request.SecureTransport ? "true" : "false")
            .Set("aws:RequestedRegion", request.Region)
            .Set("aws:ViaAWSService", "false")
            .SetIfPresent("aws:SourceIp", request.SourceIp.Length > 0 ? request.SourceIp : null)
            .SetIfPresent("aws:UserAgent", request.UserAgent)
            .SetIfPresent("aws:Referer", request.Referer);
        if (!caller.IsAnonymous)
        {
            builder.Set("aws:PrincipalArn", caller.PrincipalArn)
                .Set("aws:PrincipalAccount", caller.AccountId)
                .Set("aws:PrincipalType", caller.Kind switch
                {
                    PrincipalKind.Root => "Account",
                    PrincipalKind.User => "User",
                    PrincipalKind.AssumedRole => "AssumedRole",
                    _ => "FederatedUser",
                })
                .Set("aws:userid", caller.UserId)
                .SetIfPresent("aws:username", caller.UserName);
            foreach (var (key, value) in principalTags)
            {
                builder.Set("aws:PrincipalTag/" + key, value);
            }
        }

        if (caller.Session is { } session)
        {
            builder.Set("aws:TokenIssueTime", session.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .Set("aws:MultiFactorAuthPresent", session.MultiFactorAuthPresent ? "true" : "false")
                .SetIfPresent("aws:SourceIdentity", session.SourceIdentity);
            if (session.MultiFactorAuthTime is { } mfaTime)
            {
                builder.Set("aws:MultiFactorAuthAge", ((long)(now - mfaTime).TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }
        }

        if (target.ResourceAccount is { } resourceAccount)
        {
            builder.Set("aws:ResourceAccount", resourceAccount);
        }

        foreach (var (key, values) in target.ConditionKeys ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            builder.Set(key, values);
        }

        return builder.Build();
    }
}
