using Cloudkeep.Services.S3.Lifecycle;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Replication;

/// <summary>
/// One validated replication rule. <see cref="V2"/> rules (those with a Filter) replicate delete
/// markers only when they say so; V1 rules (a bare Prefix) always did, as S3 documents for the
/// schema's first version.
/// </summary>
internal sealed record ReplicationRule(
    string Id,
    int Priority,
    bool Enabled,
    LifecycleFilter Filter,
    bool V2,
    string DestinationBucket,
    string? DestinationAccount,
    string? StorageClass,
    bool OwnerOverride,
    string? ReplicaKmsKeyId,
    bool DeleteMarkers,
    bool SseKmsObjects)
{
    public bool Matches(S3ObjectRecord record, Func<ObjectMeta> meta) => Enabled && Filter.Matches(record, meta);

    /// <summary>Whether a delete marker for this key is replicated: never for rules that filter on tags (a marker has none).</summary>
    public bool MatchesMarker(string key) =>
        Enabled && DeleteMarkers && Filter.Tags.Count == 0 && key.StartsWith(Filter.Prefix, StringComparison.Ordinal);
}
