using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate;

/// <summary>
/// Replication rules, as canonical JSON <c>{"role":…,"rules":[…]}</c> (see EstateParser.Replication
/// and BucketReplication), <c>{}</c> when the bucket has none (S3's
/// ReplicationConfigurationNotFoundError). Apply puts the whole configuration, or deletes it for
/// <c>{}</c>, and the undo puts the live one back or deletes the new one.
/// </summary>
internal sealed partial class BucketHandler
{
    private static async Task ReadReplicationAsync(AmazonS3Client s3, EstateResource desired, Dictionary<string, string> live, CancellationToken cancellationToken)
    {
        if (!desired.Fields.ContainsKey("replication"))
        {
            return;
        }

        var answer = await Optional(() => s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = desired.Name }, cancellationToken), "ReplicationConfigurationNotFoundError");
        // The SDK answers S3's 404 without throwing, as for a missing policy: no configuration either way.
        live["replication"] = answer is { HttpStatusCode: HttpStatusCode.OK } ? BucketReplication.FromSdk(answer.Configuration) : BucketReplication.None;
    }

    /// <summary>
    /// S3 takes a configuration only on a versioned bucket and refuses to suspend versioning while
    /// there is one, so a configuration is put after versioning and removed before it.
    /// </summary>
    private static bool RemovesReplication(EstateResource resolved, IReadOnlyList<string> fields) =>
        fields.Contains("replication") && resolved.Fields["replication"] == BucketReplication.None;

    private static async Task UpdateReplicationAsync(AmazonS3Client s3, EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (!fields.Contains("replication"))
        {
            return;
        }

        var name = resolved.Name;
        await PutReplicationAsync(s3, name, resolved.Fields["replication"], cancellationToken);
        var old = live.GetValueOrDefault("replication") ?? BucketReplication.None;
        journal.Done("PutBucketReplication", () => PutReplicationAsync(s3, name, old, CancellationToken.None));
    }

    private static async Task PutReplicationAsync(AmazonS3Client s3, string name, string json, CancellationToken cancellationToken)
    {
        if (json == BucketReplication.None)
        {
            await s3.DeleteBucketReplicationAsync(new DeleteBucketReplicationRequest { BucketName = name }, cancellationToken);
        }
        else
        {
            await s3.PutBucketReplicationAsync(new PutBucketReplicationRequest { BucketName = name, Configuration = BucketReplication.ToSdk(json) }, cancellationToken);
        }
    }
}
