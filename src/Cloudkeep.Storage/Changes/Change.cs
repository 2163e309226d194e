namespace Cloudkeep.Storage.Changes;

/// <summary>What a change made stale, in the terms the request-path caches are keyed by.</summary>
public enum ChangeKind
{
    /// <summary>Anything may be stale: a node that may have missed notifications drops every cache.</summary>
    Everything,

    /// <summary>One access key (created, deactivated, deleted); the name is its id.</summary>
    AccessKey,

    /// <summary>An IAM entity of an account (users, groups, roles, policies, MFA devices, Organizations' documents); the name is the account id.</summary>
    Iam,

    /// <summary>An account's row (name, status); the name is its id.</summary>
    Account,

    /// <summary>A bucket's existence or configuration (policy, versioning, ACLs, ...); the name is the bucket's.</summary>
    Bucket,

    /// <summary>A Route 53 zone or record set; the name is the zone id.</summary>
    Route53,
}

/// <summary>
/// One committed change as nodes tell each other: a kind and a name (an access key id, an account id, a
/// bucket name), never a secret. On PostgreSQL it is the payload of a NOTIFY sent by a trigger in the
/// changing transaction, so it reaches the other nodes exactly when the change is visible to them.
/// </summary>
public readonly record struct Change(ChangeKind Kind, string Name)
{
    public static Change Everything { get; } = new(ChangeKind.Everything, "");

    /// <summary>Reads a payload "kind:name" as <see cref="PostgresChangeTriggers"/> writes it; false for anything else.</summary>
    public static bool TryParse(string payload, out Change change)
    {
        ArgumentNullException.ThrowIfNull(payload);
        change = default;
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        ChangeKind? kind = payload[..colon] switch
        {
            "all" => ChangeKind.Everything,
            "key" => ChangeKind.AccessKey,
            "iam" => ChangeKind.Iam,
            "account" => ChangeKind.Account,
            "bucket" => ChangeKind.Bucket,
            "route53" => ChangeKind.Route53,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        change = new Change(kind.Value, payload[(colon + 1)..]);
        return true;
    }
}
