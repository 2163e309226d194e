using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Lifecycle;

/// <summary>What one pass of the lifecycle job did.</summary>
public sealed record LifecycleRunResult(int Expired, int NoncurrentExpired, int DeleteMarkersRemoved, int UploadsAborted, int Transitioned)
{
    public static LifecycleRunResult operator +(LifecycleRunResult a, LifecycleRunResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Expired + b.Expired, a.NoncurrentExpired + b.NoncurrentExpired, a.DeleteMarkersRemoved + b.DeleteMarkersRemoved, a.UploadsAborted + b.UploadsAborted, a.Transitioned + b.Transitioned);
    }

    public static LifecycleRunResult Add(LifecycleRunResult a, LifecycleRunResult b) => a + b;
}

/// <summary>
/// One pass of every bucket's enabled lifecycle rules at a moment: expires current versions (a
/// delete marker where the bucket keeps versions), noncurrent versions, delete markers that hide
/// nothing and old multipart uploads, and applies transitions (one storage tier here: the storage
/// class changes, the bytes stay). The pass decides from what is stored, so a pass cut short is
/// finished by the next one, and each change is its own transaction that checks the row is still
/// the one judged.
/// </summary>
public sealed class LifecycleRunner(S3Context s3)
{
    private const int Batch = 500;

    /// <summary>
    /// After each page the pass rests twice as long as the page took, so it uses at most a third of
    /// one core: requests keep their latency while a large backlog expires (measured in
    /// docs/performance.md: resting as long as the page took let a request's p99 double).
    /// </summary>
    private static readonly TimeSpan MaxRest = TimeSpan.FromSeconds(1);

    public async Task<LifecycleRunResult> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = new LifecycleRunResult(0, 0, 0, 0, 0);
        foreach (var record in await s3.Repository.ListAllBucketsAsync(cancellationToken))
        {
            var bucket = new BucketState(record, BucketConfig.Parse(record.Config));
            var rules = bucket.LifecycleRules.Where(r => r.Enabled).ToList();
            if (rules.Count > 0)
            {
                total += await RunBucketAsync(bucket, rules, now, cancellationToken);
            }
        }

        return total;
    }

    private async Task<LifecycleRunResult> RunBucketAsync(BucketState bucket, List<LifecycleRule> rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = await CurrentVersionsAsync(bucket, rules, now, cancellationToken);
        if (bucket.Config.Versioning != S3Versioning.Unversioned && rules.Any(r => r.NoncurrentDays is not null || r.NoncurrentTransitions.Count > 0))
        {
            result += await NoncurrentVersionsAsync(bucket, rules, now, cancellationToken);
        }

        if (rules.Any(r => r.AbortAfterDays is not null))
        {
            result += await UploadsAsync(bucket, rules, now, cancellationToken);
        }

        return result;
    }

    private async Task<LifecycleRunResult> CurrentVersionsAsync(BucketState bucket, List<LifecycleRule> rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int expired = 0, markers = 0, transitioned = 0;
        var versioning = bucket.Config.Versioning;
        var after = "";
        while (true)
        {
            var started = s3.Time.GetTimestamp();
            var page = await s3.Repository.ListCurrentAsync(bucket.Name, after, Batch, cancellationToken);
            foreach (var record in page)
            {
                ObjectMeta? parsed = null;
                ObjectMeta Meta() => parsed ??= ObjectMeta.Parse(record.Meta);
                var matching = rules.Where(r => r.Filter.Matches(record, Meta)).ToList();
                if (record.DeleteMarker)
                {
                    if (matching.Any(r => r.Expiration?.ExpiredObjectDeleteMarker == true)
                        && await s3.Repository.RemoveLoneDeleteMarkerAsync(bucket.Name, record.Key, record.VersionId, cancellationToken))
                    {
                        markers++;
                    }

                    continue;
                }

                if (matching.Select(r => r.ExpiryOf(record)).Where(d => d is not null).Min() is { } due && due <= now)
                {
                    var marker = versioning == S3Versioning.Unversioned
                        ? null
                        : new S3ObjectRecord(bucket.Name, record.Key, "", 0, "", now, bucket.AccountId, "{}", null, ObjectVersions.ForWrite(versioning), DeleteMarker: true);
                    var (done, freed) = await s3.Repository.ExpireCurrentAsync(record, marker, versioning, cancellationToken);
                    await s3.DeleteObjectBlobsAsync(freed);
                    expired += done ? 1 : 0;
                    continue;
                }

                var target = matching.SelectMany(r => r.Transitions)
                    .Select(t => (t.StorageClass, Due: t.Date ?? LifecycleRule.DueAfter(record.LastModified, t.Days ?? 0)))
                    .Where(t => t.Due <= now).OrderByDescending(t => t.Due).Select(t => t.StorageClass).FirstOrDefault();
                if (target is not null && await TransitionAsync(record, Meta(), target, cancellationToken))
                {
                    transitioned++;
                }
            }

            if (page.Count < Batch)
            {
                return new LifecycleRunResult(expired, 0, markers, 0, transitioned);
            }

            await RestAsync(started, cancellationToken);
            after = page[^1].Key;
        }
    }

    private async Task<LifecycleRunResult> NoncurrentVersionsAsync(BucketState bucket, List<LifecycleRule> rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int expired = 0, transitioned = 0;
        var (afterKey, beforeSequence) = ("", long.MaxValue);
        var key = "";
        var newerCount = 0;
        while (true)
        {
            var started = s3.Time.GetTimestamp();
            var page = await s3.Repository.ListNoncurrentAsync(bucket.Name, afterKey, beforeSequence, Batch, cancellationToken);
            foreach (var (record, since) in page)
            {
                // How many noncurrent versions of this key are newer than this one (NewerNoncurrentVersions keeps that many).
                newerCount = record.Key == key ? newerCount + 1 : 0;
                key = record.Key;
                ObjectMeta? parsed = null;
                ObjectMeta Meta() => parsed ??= ObjectMeta.Parse(record.Meta);
                var matching = rules.Where(r => r.Filter.Matches(record, Meta)).ToList();
                var expires = matching.Any(r => r.NoncurrentDays is { } days && LifecycleRule.DueAfter(since, days) <= now && newerCount >= (r.NewerNoncurrentVersions ?? 0));
                if (expires)
                {
                    // Lifecycle never removes a version Object Lock protects; it tries again on a later pass.
                    var removed = (await s3.Repository.DeleteVersionAsync(bucket.Name, record.Key, record.VersionId, v => ObjectLock.ObjectRetention.Of(v).MayDelete(now, bypassGovernance: false), cancellationToken)).Removed;
                    await s3.DeleteObjectBlobsAsync(removed?.Blobs);
                    expired += removed is null ? 0 : 1;
                    continue;
                }

                var target = record.DeleteMarker ? null : matching.SelectMany(r => r.NoncurrentTransitions)
                    .Where(t => LifecycleRule.DueAfter(since, t.Days ?? 0) <= now && newerCount >= (t.NewerNoncurrentVersions ?? 0))
                    .Select(t => t.StorageClass).FirstOrDefault();
                if (target is not null && await TransitionAsync(record, Meta(), target, cancellationToken))
                {
                    transitioned++;
                }
            }

            if (page.Count < Batch)
            {
                return new LifecycleRunResult(0, expired, 0, 0, transitioned);
            }

            await RestAsync(started, cancellationToken);

            (afterKey, beforeSequence) = (page[^1].Version.Key, page[^1].Version.Sequence);
        }
    }

    private async Task<LifecycleRunResult> UploadsAsync(BucketState bucket, List<LifecycleRule> rules, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var aborted = 0;
        var (keyMarker, uploadMarker) = ("", "");
        while (true)
        {
            var page = await s3.Repository.ListUploadsAsync(bucket.Name, "", keyMarker, uploadMarker, Batch, cancellationToken);
            foreach (var upload in page)
            {
                var due = rules.Any(r => r.AbortAfterDays is { } days && upload.Key.StartsWith(r.Filter.Prefix, StringComparison.Ordinal)
                                         && LifecycleRule.DueAfter(upload.Initiated, days) <= now);
                if (due && await s3.Repository.AbortUploadAsync(upload.UploadId, cancellationToken) is { } blobs)
                {
                    await s3.DeleteBlobsAsync(blobs);
                    aborted++;
                }
            }

            if (page.Count < Batch)
            {
                return new LifecycleRunResult(0, 0, 0, aborted, 0);
            }

            (keyMarker, uploadMarker) = (page[^1].Key, page[^1].UploadId);
        }
    }

    private async Task RestAsync(long started, CancellationToken cancellationToken)
    {
        var rest = s3.Time.GetElapsedTime(started) * 2;
        await Task.Delay(rest < MaxRest ? rest : MaxRest, s3.Time, cancellationToken);
    }

    private async Task<bool> TransitionAsync(S3ObjectRecord record, ObjectMeta meta, string storageClass, CancellationToken cancellationToken)
    {
        if (meta.Document["StorageClass"]?.GetValue<string>() == storageClass)
        {
            return false;
        }

        var changed = meta.Clone();
        changed.Document["StorageClass"] = storageClass;
        return await s3.Repository.UpdateMetaIfUnchangedAsync(record, changed.ToJson(), cancellationToken);
    }
}
