namespace Cloudkeep.Services.Iam.Model;

/// <summary>The kinds of IAM entity documents (the "kind" column of iam_entities).</summary>
public static class IamKinds
{
    public const string User = "user";
    public const string Group = "group";
    public const string Role = "role";
    public const string Policy = "policy";
    public const string MfaDevice = "mfa";
    public const string AccountSettings = "account";
}

public sealed record IamTag(string Key, string Value);

/// <summary>A principal's policies: managed policy ARNs attached and inline policy documents by name.</summary>
public sealed record PolicyAttachments(IReadOnlyList<string> Managed, IReadOnlyDictionary<string, string> Inline)
{
    public static PolicyAttachments None { get; } = new([], new Dictionary<string, string>());
}

public sealed record LoginProfile(string PasswordHash, bool PasswordResetRequired, DateTimeOffset CreateDate);

public sealed record IamUser(
    string UserName,
    string UserId,
    string Path,
    string Arn,
    DateTimeOffset CreateDate,
    IReadOnlyList<IamTag> Tags,
    string? PermissionsBoundary,
    IReadOnlyList<string> Groups,
    PolicyAttachments Policies,
    LoginProfile? LoginProfile);

public sealed record IamGroup(
    string GroupName,
    string GroupId,
    string Path,
    string Arn,
    DateTimeOffset CreateDate,
    PolicyAttachments Policies);

public sealed record IamRole(
    string RoleName,
    string RoleId,
    string Path,
    string Arn,
    DateTimeOffset CreateDate,
    string AssumeRolePolicyDocument,
    string? Description,
    int MaxSessionDuration,
    string? PermissionsBoundary,
    IReadOnlyList<IamTag> Tags,
    PolicyAttachments Policies);

public sealed record IamPolicyVersion(string VersionId, string Document, DateTimeOffset CreateDate);

public sealed record IamManagedPolicy(
    string PolicyName,
    string PolicyId,
    string Path,
    string Arn,
    string? Description,
    DateTimeOffset CreateDate,
    DateTimeOffset UpdateDate,
    string DefaultVersionId,
    IReadOnlyList<IamPolicyVersion> Versions,
    int NextVersion,
    IReadOnlyList<IamTag> Tags)
{
    public IamPolicyVersion DefaultVersion => Versions.First(v => v.VersionId == DefaultVersionId);
}

/// <summary>A virtual MFA device; its seed is sealed under the master key.</summary>
public sealed record IamMfaDevice(
    string SerialNumber,
    string DeviceName,
    string Path,
    string SeedSealed,
    DateTimeOffset CreateDate,
    string? UserName,
    DateTimeOffset? EnableDate,
    long LastUsedStep)
{
    /// <summary>
    /// The assignee of a device bound to the account's root user. It cannot be an IAM user name
    /// (those never contain '&lt;'), so no user can ever be taken for root.
    /// </summary>
    public const string RootUser = "<root>";

    public bool IsRootDevice => UserName == RootUser;
}

/// <summary>The account's password policy (UpdateAccountPasswordPolicy's members and AWS's defaults for them).</summary>
public sealed record PasswordPolicy(
    int MinimumPasswordLength,
    bool RequireSymbols,
    bool RequireNumbers,
    bool RequireUppercaseCharacters,
    bool RequireLowercaseCharacters,
    bool AllowUsersToChangePassword,
    int? MaxPasswordAge,
    int? PasswordReusePrevention,
    bool HardExpiry);
