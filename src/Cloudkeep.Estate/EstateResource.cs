namespace Cloudkeep.Estate;

/// <summary>
/// One thing the estate file declares, flattened: its kind, the account it lives in, its name and
/// the fields it manages as canonical strings (documents as compact JSON, lists and tags as JSON).
/// Fields the file leaves out are not managed, so they are absent here. Values may still hold
/// <c>${...}</c> references; <see cref="EstateReferences"/> resolves them against the live estate.
/// </summary>
internal sealed record EstateResource(ResourceKind Kind, string Account, string Name, IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>How plan output and errors name the resource, e.g. "role main/deployer".</summary>
    public string Address => Kind switch
    {
        ResourceKind.AccountSettings => $"account-settings {Account}",
        ResourceKind.Account => $"account {Name}",
        _ => $"{KindNames.Of(Kind)} {Account}/{Name}",
    };

    /// <summary>For inline policies: the owner (group or role) and the policy name, from "owner/policy".</summary>
    public (string Owner, string Policy) InlineParts
    {
        get
        {
            var slash = Name.IndexOf('/', StringComparison.Ordinal);
            return (Name[..slash], Name[(slash + 1)..]);
        }
    }
}

/// <summary>The resource kinds, in the order apply creates them (what a later kind refers to exists by then).</summary>
internal enum ResourceKind
{
    /// <summary>An organizational unit, held by the management account, named by its path ("workloads/prod").</summary>
    OrganizationalUnit,

    /// <summary>A member account, held by the management account (Organizations CreateAccount).</summary>
    Account,
    AccountSettings,
    Policy,
    Group,
    GroupPolicy,
    User,
    Role,
    RolePolicy,
    Key,
    Bucket,

    /// <summary>A CloudTrail trail, named by its name, after the buckets (CreateTrail checks its bucket's policy).</summary>
    Trail,

    /// <summary>An SNS topic, named by its name, in its region.</summary>
    Topic,

    /// <summary>A subscription to a topic of the file, named "TOPIC/PROTOCOL:ENDPOINT", after its topic.</summary>
    Subscription,

    /// <summary>A CloudWatch metric alarm, named by its name, in its region, after the topics its actions name.</summary>
    Alarm,

    /// <summary>An AWS Budgets cost budget with its notifications and their subscribers, named by its name, after the topics they name.</summary>
    Budget,

    /// <summary>A public Route 53 hosted zone and the record sets the file gives it (all but the apex SOA and NS), named by its domain.</summary>
    Zone,

    /// <summary>A service control policy, held by the management account.</summary>
    ServiceControlPolicy,
}

internal static class KindNames
{
    public static string Of(ResourceKind kind) => kind switch
    {
        ResourceKind.OrganizationalUnit => "ou",
        ResourceKind.Account => "account",
        ResourceKind.AccountSettings => "account-settings",
        ResourceKind.Policy => "policy",
        ResourceKind.Group => "group",
        ResourceKind.GroupPolicy => "group-policy",
        ResourceKind.User => "user",
        ResourceKind.Role => "role",
        ResourceKind.RolePolicy => "role-policy",
        ResourceKind.Key => "key",
        ResourceKind.Bucket => "bucket",
        ResourceKind.Trail => "trail",
        ResourceKind.Topic => "topic",
        ResourceKind.Subscription => "subscription",
        ResourceKind.Alarm => "alarm",
        ResourceKind.Budget => "budget",
        ResourceKind.Zone => "zone",
        ResourceKind.ServiceControlPolicy => "scp",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
