using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Services.Billing;
using Cloudkeep.Services.S3;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// Delivers trails' log files to their buckets (CloudTrail User Guide, "CloudTrail log file examples"
/// and "Finding your CloudTrail log files"): gzip JSON <c>{"Records":[...]}</c> under
/// <c>[prefix/]AWSLogs/[o-id/]account/CloudTrail/region/YYYY/MM/DD/account_CloudTrail_region_yyyyMMddTHHmmZ_id.json.gz</c>,
/// written as cloudtrail.amazonaws.com, which the bucket's policy must allow.
/// <para>
/// Exactly once: a pass first claims events into log files (each file's events and key fixed in the
/// transaction that takes the events off the pending list), then writes each claimed file and marks
/// it delivered. A pass cut short after the write writes the same bytes under the same key again;
/// one cut short before it leaves the file claimed for the next pass. A refused or missing bucket
/// keeps the file claimed and sets the trail's LatestDeliveryError until the bucket lets CloudTrail write
/// or UpdateTrail names another bucket (AWS's two remedies; a waiting file follows the trail to its new
/// bucket and prefix). The wait is bounded: a file still refused once its newest event is older than
/// the 90 days of event history is abandoned and counted, since its events are gone from the store.
/// </para>
/// Then, for trails with log file validation, each hour's digest file (<see cref="TrailDigests"/>), and
/// events older than the 90 days LookupEvents shows are removed.
/// </summary>
public sealed class TrailDelivery(CloudTrailContext context, UsageMeter? meter = null)
{
    private const int EventsPerPass = 5_000;
    private const int EventsPerFile = 1_000;

    public sealed record PassResult(int Files, int Events, int Digests, int Refused, int Abandoned);

    /// <summary>Whether a pass has anything to do: trails that log, and events or files waiting. Reads only.</summary>
    public async Task<bool> HasWorkAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await context.Repository.HasEventsBeforeAsync(now - CloudTrailContext.EventHistory, cancellationToken))
        {
            return true;
        }

        var trails = (await context.Repository.TrailsAsync(cancellationToken)).Select(TrailState.FromRow).ToList();
        if (!trails.Any(t => t.Logging))
        {
            return (await context.Repository.OpenBatchesAsync(1, cancellationToken)).Count > 0;
        }

        return await context.Repository.HasPendingAsync(now, cancellationToken)
            || (await context.Repository.OpenBatchesAsync(1, cancellationToken)).Count > 0
            || await TrailDigests.AnyDueAsync(context, trails, now, cancellationToken);
    }

    public async Task<PassResult> DeliverAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ClaimAsync(now, cancellationToken);
        var (files, events, refused, abandoned) = await WriteClaimedAsync(now, cancellationToken);
        var digests = await TrailDigests.DeliverDueAsync(context, now, cancellationToken);

        // LookupEvents sees 90 days; older events go (after delivery, which needed them).
        await context.Repository.ExpireEventsAsync(now - CloudTrailContext.EventHistory, cancellationToken);
        return new PassResult(files, events, digests, refused, abandoned);
    }

    /// <summary>Takes pending events into log files of the trails that select them; events no trail selects just leave the list.</summary>
    private async Task ClaimAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var trails = (await context.Repository.TrailsAsync(cancellationToken)).Select(TrailState.FromRow).Where(t => t.Logging).ToList();
        if (trails.Count == 0)
        {
            // Nothing logs: the events stay pending, so a pass with no trail writes nothing.
            return;
        }

        var ids = trails.Any(t => t.IsOrganization) ? await context.Organizations.GetIdsAsync(cancellationToken) : null;
        HashSet<string>? members = ids is null ? null : [.. (await context.Organizations.Accounts.ListAsync(cancellationToken)).Select(a => a.AccountId)];
        while (true)
        {
            var taken = await context.Repository.PendingEventsAsync(now, EventsPerPass, cancellationToken);
            if (taken.StoredIds.Count == 0)
            {
                return;
            }

            var pending = taken.Events;

            var batches = new List<CloudTrailBatch>();
            var copies = new Dictionary<string, int>(StringComparer.Ordinal);
            var paid = new Dictionary<(string AccountId, string Region), long>();
            foreach (var trail in trails)
            {
                var selected = pending
                    .Select(ToEvent)
                    .Where(e => e.EventTime >= (trail.StartLoggingTime ?? trail.CreatedAt) && trail.Selects(e, trail.IsOrganization && trail.AccountId == ids?.ManagementAccountId ? members : null))
                    .ToList();

                // "The first copy of management events is free": every further trail delivering one is a paid copy, billed to that trail's account.
                foreach (var e in selected.Where(e => e.Management))
                {
                    var delivered = copies.GetValueOrDefault(e.EventId);
                    copies[e.EventId] = delivered + 1;
                    if (delivered > 0)
                    {
                        paid[(trail.AccountId, e.Region)] = paid.GetValueOrDefault((trail.AccountId, e.Region)) + 1;
                    }
                }

                foreach (var group in selected.GroupBy(e => (e.RecipientAccountId, e.Region)))
                {
                    foreach (var chunk in group.Chunk(EventsPerFile))
                    {
                        var batchId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                        var key = LogFileKey(trail, group.Key.RecipientAccountId, group.Key.Region, now, batchId, ids?.OrganizationId);
                        batches.Add(new CloudTrailBatch(
                            batchId, trail.Arn, group.Key.RecipientAccountId, group.Key.Region, trail.Bucket, key, [.. chunk.Select(e => e.EventId)],
                            now, null, null, chunk.Min(e => e.EventTime), chunk.Max(e => e.EventTime)));
                    }
                }
            }

            await context.Repository.ClaimAsync(batches, taken.StoredIds, cancellationToken);
            foreach (var ((account, region), count) in paid)
            {
                meter?.Count(account, region, MeteredUsage.CloudTrailPaidEvents, count);
            }

            if (!taken.More)
            {
                return;
            }
        }
    }

    private async Task<(int Files, int Events, int Refused, int Abandoned)> WriteClaimedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        int files = 0, events = 0, refused = 0, abandoned = 0;
        var trails = (await context.Repository.TrailsAsync(cancellationToken)).Select(TrailState.FromRow).ToDictionary(t => t.Arn, StringComparer.Ordinal);
        string? organizationId = null;
        foreach (var claimed in await context.Repository.OpenBatchesAsync(1_000, cancellationToken))
        {
            var batch = claimed;
            if (!trails.TryGetValue(batch.TrailArn, out var trail))
            {
                // The trail was deleted after the file was claimed: nothing delivers it, as in AWS.
                await context.Repository.MarkDeliveredAsync(batch.BatchId, "", now, cancellationToken);
                continue;
            }

            if (trail.IsOrganization)
            {
                organizationId ??= (await context.Organizations.GetIdsAsync(cancellationToken)).OrganizationId;
            }

            var key = LogFileKey(trail, batch.AccountId, batch.Region, batch.CreatedAt, batch.BatchId, trail.IsOrganization ? organizationId : null);
            if (batch.Bucket != trail.Bucket || batch.ObjectKey != key)
            {
                await context.Repository.RetargetAsync(batch.BatchId, trail.Bucket, key, cancellationToken);
                batch = batch with { Bucket = trail.Bucket, ObjectKey = key };
            }

            context.S3.Forget(batch.Bucket);
            var bucket = await context.S3.FindBucketAsync(batch.Bucket, cancellationToken);
            if (bucket is null || !Trails.MayWrite(context, bucket, batch.ObjectKey, trail))
            {
                if (batch.NewestEvent < now - CloudTrailContext.EventHistory)
                {
                    await context.Repository.AbandonAsync(batch.BatchId, cancellationToken);
                    abandoned++;
                    continue;
                }

                refused++;
                await SetStatusAsync(trail.Arn, bucket is null ? "NoSuchBucket" : "AccessDenied", null, cancellationToken);
                continue;
            }

            var records = await context.Repository.RecordsAsync(batch.AccountId, batch.EventIds, cancellationToken);
            var text = new StringBuilder("{\"Records\":[");
            for (var i = 0; i < records.Count; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(records[i]);
            }

            var json = Encoding.UTF8.GetBytes(text.Append("]}").ToString());
            await WriteObjectAsync(context, bucket, batch.ObjectKey, Gzip(json), null, cancellationToken);
            await context.Repository.MarkDeliveredAsync(batch.BatchId, Convert.ToHexStringLower(SHA256.HashData(json)), now, cancellationToken);
            await SetStatusAsync(trail.Arn, null, now, cancellationToken);
            files++;
            events += records.Count;
        }

        return (files, events, refused, abandoned);
    }

    /// <summary>The trail's delivery status, changed in one read-modify-write so a concurrent StopLogging is never undone.</summary>
    private async Task SetStatusAsync(string arn, string? error, DateTimeOffset? delivered, CancellationToken cancellationToken)
    {
        var row = (await context.Repository.TrailsAsync(cancellationToken)).FirstOrDefault(t => t.Arn == arn);
        if (row is null)
        {
            return;
        }

        var trail = TrailState.FromRow(row);
        var updated = trail with { LatestDeliveryError = error, LatestDeliveryTime = delivered ?? trail.LatestDeliveryTime };
        if (updated != trail)
        {
            await context.Repository.UpdateTrailDocumentAsync(arn, row.Document, updated.ToDocument(), cancellationToken);
        }
    }

    public static string LogFileKey(TrailState trail, string account, string region, DateTimeOffset at, string id, string? organizationId)
    {
        ArgumentNullException.ThrowIfNull(trail);
        var utc = at.UtcDateTime;
        return Trails.LogRoot(trail, account, organizationId)
            + string.Create(CultureInfo.InvariantCulture, $"CloudTrail/{region}/{utc:yyyy}/{utc:MM}/{utc:dd}/{account}_CloudTrail_{region}_{utc:yyyyMMdd'T'HHmm'Z'}_{id}.json.gz");
    }

    /// <summary>gzip without a file name or time in its header, so the same bytes always compress the same.</summary>
    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Stores a file in a trail bucket as S3 stores a PUT (SSE-S3, the bucket's versioning, replication queued); user metadata as given.</summary>
    internal static async Task WriteObjectAsync(CloudTrailContext context, BucketState bucket, string key, byte[] bytes, JsonObject? metadata, CancellationToken cancellationToken)
    {
        var document = new JsonObject { ["ContentType"] = "application/json", ["ContentEncoding"] = "gzip" };
        if (metadata is not null)
        {
            document["Metadata"] = metadata;
        }

        await ObjectUploads.PutServiceObjectAsync(context.S3, bucket, key, bytes, document, context.Now, cancellationToken);
    }

    private static AuditEvent ToEvent(CloudTrailEventRow r) =>
        new(r.EventId, r.AccountId, r.Region, r.EventTime, r.EventName, r.EventSource, r.Username, r.AccessKeyId, r.ReadOnly, r.Management, r.Record, r.Resources);
}
