using Cloudkeep.Core.Identity;
using Cloudkeep.Policy;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Authorization;

/// <summary>The compiled policies that govern one caller, and the tags policies see as aws:PrincipalTag/*.</summary>
public sealed record PrincipalPolicies(
    IReadOnlyList<CompiledPolicy> Identity,
    CompiledPolicy? Boundary,
    IReadOnlyList<CompiledPolicy>? Session,
    IReadOnlyDictionary<string, string> PrincipalTags)
{
    private static readonly PrincipalPolicies Nothing = new([], null, null, new Dictionary<string, string>());

    public static async Task<PrincipalPolicies> LoadAsync(IamStore store, PolicyCache cache, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(caller);
        var identity = new List<CompiledPolicy>();
        CompiledPolicy? boundary = null;
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (caller.Kind)
        {
            case PrincipalKind.User when caller.UserName is { } userName:
                var user = await store.GetAsync<IamUser>(caller.AccountId, IamKinds.User, userName, cancellationToken);
                if (user is null)
                {
                    return Nothing;
                }

                await AddAsync(store, cache, identity, user.UserId, user.Policies, PolicyKind.InlineUser, cancellationToken);
                foreach (var groupName in user.Groups)
                {
                    if (await store.GetAsync<IamGroup>(caller.AccountId, IamKinds.Group, groupName, cancellationToken) is { } group)
                    {
                        await AddAsync(store, cache, identity, group.GroupId, group.Policies, PolicyKind.InlineGroup, cancellationToken);
                    }
                }

                boundary = await BoundaryAsync(store, cache, user.PermissionsBoundary, cancellationToken);
                foreach (var tag in user.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                break;
            case PrincipalKind.AssumedRole when caller.Session?.RoleArn is { } roleArn && IamArns.TryParseRoleArn(roleArn, out var account, out var roleName):
                var role = await store.GetAsync<IamRole>(account, IamKinds.Role, roleName, cancellationToken);
                if (role is null || role.Arn != roleArn)
                {
                    return Nothing;
                }

                await AddAsync(store, cache, identity, role.RoleId, role.Policies, PolicyKind.InlineRole, cancellationToken);
                boundary = await BoundaryAsync(store, cache, role.PermissionsBoundary, cancellationToken);
                break;
            default:
                break;
        }

        IReadOnlyList<CompiledPolicy>? session = null;
        if (caller.Session is { HasSessionPolicies: true } facts)
        {
            var list = new List<CompiledPolicy>();
            if (facts.InlineSessionPolicy is { } inline)
            {
                list.Add(Compile(cache, "session", IamContext.Fingerprint(inline), inline, PolicyKind.SessionPolicy));
            }

            foreach (var arn in facts.SessionPolicyArns)
            {
                if (await store.GetManagedPolicyAsync(arn, cancellationToken) is { } managed)
                {
                    list.Add(Compile(cache, managed.Arn, ManagedVersionKey(managed), managed.DefaultVersion.Document, PolicyKind.ManagedIdentity));
                }
            }

            session = list;
        }

        if (caller.Session is { } sessionFacts)
        {
            foreach (var (key, value) in sessionFacts.Tags)
            {
                tags[key] = value;
            }
        }

        return new PrincipalPolicies(identity, boundary, session, tags);
    }

    private static async Task AddAsync(IamStore store, PolicyCache cache, List<CompiledPolicy> target, string ownerId, PolicyAttachments attachments, PolicyKind inlineKind, CancellationToken cancellationToken)
    {
        foreach (var (name, document) in attachments.Inline)
        {
            target.Add(Compile(cache, $"{ownerId}:inline:{name}", IamContext.Fingerprint(document), document, inlineKind));
        }

        foreach (var arn in attachments.Managed)
        {
            if (await store.GetManagedPolicyAsync(arn, cancellationToken) is { } managed)
            {
                target.Add(Compile(cache, managed.Arn, ManagedVersionKey(managed), managed.DefaultVersion.Document, PolicyKind.ManagedIdentity));
            }
        }
    }

    private static async Task<CompiledPolicy?> BoundaryAsync(IamStore store, PolicyCache cache, string? arn, CancellationToken cancellationToken)
    {
        if (arn is null || await store.GetManagedPolicyAsync(arn, cancellationToken) is not { } managed)
        {
            return null;
        }

        return Compile(cache, managed.Arn, ManagedVersionKey(managed), managed.DefaultVersion.Document, PolicyKind.Boundary);
    }

    /// <summary>
    /// Names the default version's document in the policy cache. A deleted policy created again under the same ARN
    /// gets a new policy id, and a policy never reuses a version id, so the pair names one document for good (the
    /// update date did not: a policy created again in the same instant carried the same date).
    /// </summary>
    public static string ManagedVersionKey(IamManagedPolicy managed) => managed.PolicyId + ":" + managed.DefaultVersionId;

    private static CompiledPolicy Compile(PolicyCache cache, string id, string version, string document, PolicyKind kind) =>
        cache.GetOrCompile(id, version + ":" + kind, document, kind).GetPolicyOrThrow();
}
