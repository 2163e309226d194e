using System.Text.Json.Nodes;

namespace Cloudkeep.Checks;

/// <summary>Everything the checks look at for one account, fetched first so that every check is a pure function.</summary>
public sealed record AccountFacts(string AccountId, string? AccountName)
{
    public IReadOnlyList<CredentialRow> Credentials { get; init; } = [];

    /// <summary>The account's password policy; null when it has none.</summary>
    public PasswordPolicyFact? PasswordPolicy { get; init; }

    public IReadOnlyList<RoleFact> Roles { get; init; } = [];

    public IReadOnlyList<PolicyFact> Policies { get; init; } = [];

    public IReadOnlyList<BucketFact> Buckets { get; init; } = [];

    public IReadOnlyList<KeyFact> Keys { get; init; } = [];

    /// <summary>The trails seen in each region looked at (the same regions as the keys), regions in order.</summary>
    public IReadOnlyList<RegionTrails> Trails { get; init; } = [];
}

/// <summary>One row of the IAM credential report; the root user's row has User "&lt;root_account&gt;".</summary>
public sealed record CredentialRow(string User, string Arn, bool PasswordEnabled, DateTimeOffset? PasswordLastUsed, bool MfaActive, IReadOnlyList<AccessKeyFact> Keys)
{
    public const string RootUser = "<root_account>";

    public bool IsRoot => User == RootUser;
}

public sealed record AccessKeyFact(int Slot, bool Active, DateTimeOffset? LastRotated, DateTimeOffset? LastUsed);

public sealed record PasswordPolicyFact(
    int MinimumLength,
    bool RequireUppercase,
    bool RequireLowercase,
    bool RequireNumbers,
    bool RequireSymbols,
    int? MaxAgeDays = null,
    int? ReusePrevention = null);

public sealed record RoleFact(string Name, string Arn, JsonNode? TrustPolicy);

/// <summary>A managed or inline policy and who has it: "user/NAME", "group/NAME" or "role/NAME".</summary>
public sealed record PolicyFact(string Name, string Arn, JsonNode? Document, IReadOnlyList<string> AttachedTo);

public sealed record BucketFact(string Name, string Region)
{
    public JsonNode? Policy { get; init; }

    /// <summary>The grantee URIs of the bucket ACL's group grants (AllUsers, AuthenticatedUsers, LogDelivery).</summary>
    public IReadOnlyList<string> AclGroupGrantees { get; init; } = [];

    /// <summary>The bucket's public access block; null when it has none.</summary>
    public PublicAccessBlockFact? PublicAccessBlock { get; init; }

    public bool Versioning { get; init; }

    public bool DefaultEncryption { get; init; }

    public bool Replication { get; init; }

    public bool AccessLogging { get; init; }
}

public sealed record PublicAccessBlockFact(bool BlockPublicAcls, bool IgnorePublicAcls, bool BlockPublicPolicy, bool RestrictPublicBuckets);

public sealed record KeyFact(string KeyId, string Arn, string Region, JsonNode? Policy);

/// <summary>The trails DescribeTrails shows in one region: the account's own there, its multi-region trails' shadows, its organization's trails.</summary>
public sealed record RegionTrails(string Region, IReadOnlyList<TrailFact> Trails);

/// <summary>One trail as DescribeTrails describes it, and whether GetTrailStatus says it is logging.</summary>
public sealed record TrailFact(string Name, string Arn, string HomeRegion, bool MultiRegion, bool Organization, bool LogFileValidation, bool Logging)
{
    /// <summary>The account that owns the trail (an organization trail's is the management account), from its ARN.</summary>
    public string? Owner => PolicyDocuments.AccountOf(Arn);

    /// <summary>
    /// One item of DescribeTrails' trailList, in the API's own shape (the same over the wire and in
    /// process), with GetTrailStatus' IsLogging; <paramref name="region"/> stands in for a missing HomeRegion.
    /// </summary>
    public static TrailFact From(JsonObject trail, string region, bool logging)
    {
        ArgumentNullException.ThrowIfNull(trail);
        return new TrailFact(Text(trail[nameof(Name)]) ?? "", Text(trail["TrailARN"]) ?? "", Text(trail[nameof(HomeRegion)]) ?? region, Flag(trail["IsMultiRegionTrail"]),
            Flag(trail["IsOrganizationTrail"]), Flag(trail["LogFileValidationEnabled"]), logging);
    }

    /// <summary>A JSON true (GetTrailStatus' IsLogging, DescribeTrails' flags).</summary>
    public static bool Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
