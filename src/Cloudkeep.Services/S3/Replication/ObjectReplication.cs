using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Replication;

/// <summary>
/// Which new versions replicate: a write to a bucket whose enabled rule covers the version is
/// marked PENDING in its metadata and queued in the same transaction (<see cref="S3ObjectRecord.QueueReplication"/>).
/// Replicas themselves never replicate again, and SSE-KMS objects only under a rule that selects
/// them ("What isn't replicated" in the S3 user guide).
/// </summary>
internal static class ObjectReplication
{
    public const string StatusMember = "ReplicationStatus";
    public const string Pending = "PENDING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string Replica = "REPLICA";

    /// <summary>The record to write: marked and queued when a rule of its bucket covers it, else as given.</summary>
    public static S3ObjectRecord Queue(BucketState bucket, S3ObjectRecord record, ObjectMeta meta)
    {
        var rules = bucket.ReplicationRules;
        if (rules.Count == 0 || bucket.Config.Versioning != S3Versioning.Enabled || meta.Text(StatusMember) == Replica)
        {
            return record;
        }

        var kms = meta.Text(ObjectEncryption.Member) is "aws:kms" or "aws:kms:dsse";
        if (!rules.Any(r => r.Matches(record, () => meta) && (!kms || r.SseKmsObjects)))
        {
            return record;
        }

        meta.Document[StatusMember] = Pending;
        return record with { Meta = meta.ToJson(), QueueReplication = true };
    }

    /// <summary>A new delete marker, queued when a rule replicates delete markers for its key.</summary>
    public static S3ObjectRecord QueueMarker(BucketState bucket, S3ObjectRecord marker) =>
        bucket.Config.Versioning == S3Versioning.Enabled && bucket.ReplicationRules.Any(r => r.MatchesMarker(marker.Key))
            ? marker with { QueueReplication = true }
            : marker;

    /// <summary>The x-amz-replication-status response header, for a version that has one.</summary>
    public static void WriteTo(JsonObject output, ObjectMeta meta)
    {
        if (meta.Text(StatusMember) is { } status)
        {
            output[StatusMember] = status;
        }
    }

    /// <summary>A stored metadata document with its replication status replaced.</summary>
    public static string WithStatus(string metaJson, string status)
    {
        var meta = ObjectMeta.Parse(metaJson);
        meta.Document[StatusMember] = status;
        return meta.ToJson();
    }
}
