using Cloudkeep.Core.Errors;
using Cloudkeep.Policy;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam;

/// <summary>
/// What users, groups and roles have in common for policy attachment: one attach, detach, put,
/// get, delete and list implementation serves all three (AttachUserPolicy, AttachGroupPolicy,
/// AttachRolePolicy are the same operation on a different entity, with different limits).
/// </summary>
public abstract class PrincipalEntity
{
    public static readonly PrincipalEntity<IamUser> User = new(
        "User", IamKinds.User, "UserName", PolicyKind.InlineUser, 10,
        u => u.Policies, (u, p) => u with { Policies = p }, IamErrors.NoSuchUser);

    public static readonly PrincipalEntity<IamGroup> Group = new(
        "Group", IamKinds.Group, "GroupName", PolicyKind.InlineGroup, 10,
        g => g.Policies, (g, p) => g with { Policies = p }, IamErrors.NoSuchGroup);

    public static readonly PrincipalEntity<IamRole> Role = new(
        "Role", IamKinds.Role, "RoleName", PolicyKind.InlineRole, 10,
        r => r.Policies, (r, p) => r with { Policies = p }, IamErrors.NoSuchRole);

    protected PrincipalEntity(string noun, string kind, string nameMember, PolicyKind inlineKind, int maxManaged)
    {
        Noun = noun;
        Kind = kind;
        NameMember = nameMember;
        InlineKind = inlineKind;
        MaxManaged = maxManaged;
    }

    /// <summary>User, Group or Role, as it appears in operation names.</summary>
    public string Noun { get; }

    public string Kind { get; }

    public string NameMember { get; }

    public PolicyKind InlineKind { get; }

    /// <summary>Managed policies per user, group or role (IAM quota, default 10).</summary>
    public int MaxManaged { get; }

    public abstract Task<PolicyAttachments> GetAttachmentsAsync(IamStore store, string accountId, string name, CancellationToken cancellationToken);

    public abstract Task UpdateAttachmentsAsync(IamStore store, string accountId, string name, Func<PolicyAttachments, PolicyAttachments> change, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<PolicyAttachments>> ListAllAsync(IamStore store, string accountId, CancellationToken cancellationToken);

    public abstract AwsException Missing(string name);
}

public sealed class PrincipalEntity<T> : PrincipalEntity
    where T : class
{
    private readonly Func<T, PolicyAttachments> _get;
    private readonly Func<T, PolicyAttachments, T> _set;
    private readonly Func<string, AwsException> _missing;

    internal PrincipalEntity(string noun, string kind, string nameMember, PolicyKind inlineKind, int maxManaged,
        Func<T, PolicyAttachments> get, Func<T, PolicyAttachments, T> set, Func<string, AwsException> missing)
        : base(noun, kind, nameMember, inlineKind, maxManaged)
    {
        _get = get;
        _set = set;
        _missing = missing;
    }

    public override async Task<PolicyAttachments> GetAttachmentsAsync(IamStore store, string accountId, string name, CancellationToken cancellationToken) =>
        _get(await store.RequireAsync<T>(accountId, Kind, name, () => _missing(name), cancellationToken));

    public override Task UpdateAttachmentsAsync(IamStore store, string accountId, string name, Func<PolicyAttachments, PolicyAttachments> change, CancellationToken cancellationToken) =>
        store.UpdateAsync<T>(accountId, Kind, name, entity => _set(entity, change(_get(entity))), () => _missing(name), cancellationToken);

    public override async Task<IReadOnlyList<PolicyAttachments>> ListAllAsync(IamStore store, string accountId, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync<T>(accountId, Kind, cancellationToken)).Select(_get)];

    public override AwsException Missing(string name) => _missing(name);
}
