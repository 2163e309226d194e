using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// The daily storage metrics S3 publishes to CloudWatch ("Amazon S3 daily storage metrics for
/// buckets in CloudWatch"): AWS/S3 BucketSizeBytes per bucket and storage type (dimensions
/// BucketName and StorageType: StandardStorage, StandardIAStorage, ...) in Bytes, and
/// NumberOfObjects per bucket (StorageType AllStorageTypes) in Count, each once a day at 00:00 UTC,
/// in the bucket owner's account and the bucket's region.
/// </summary>
public sealed class S3StorageMetrics(CloudWatchContext cloudWatch, S3Repository s3)
{
    public const string Namespace = "AWS/S3";

    /// <summary>S3's storage classes as the StorageType dimension names them.</summary>
    public static string StorageType(string storageClass) => storageClass switch
    {
        "STANDARD" => "StandardStorage",
        "STANDARD_IA" => "StandardIAStorage",
        "ONEZONE_IA" => "OneZoneIAStorage",
        "REDUCED_REDUNDANCY" => "ReducedRedundancyStorage",
        "INTELLIGENT_TIERING" => "IntelligentTieringFAStorage",
        "GLACIER" => "GlacierStorage",
        "GLACIER_IR" => "GlacierInstantRetrievalStorage",
        "DEEP_ARCHIVE" => "DeepArchiveStorage",
        "EXPRESS_ONEZONE" => "ExpressOneZoneStorage",
        _ => storageClass,
    };

    /// <summary>Publishes every bucket's metrics for the day starting at <paramref name="day"/> (00:00 UTC).</summary>
    public async Task PublishAsync(DateTimeOffset day, CancellationToken cancellationToken)
    {
        var at = day.ToUnixTimeSeconds();
        at -= at % 86400;
        var points = new List<CloudWatchRepository.PointWrite>();
        foreach (var bucket in (await s3.StorageUsageAsync(cancellationToken)).GroupBy(u => (u.Bucket, u.AccountId, u.Region)))
        {
            foreach (var usage in bucket)
            {
                points.Add(Point(bucket.Key.AccountId, bucket.Key.Region, "BucketSizeBytes", bucket.Key.Bucket, StorageType(usage.StorageClass), "Bytes", usage.Bytes, at));
            }

            points.Add(Point(bucket.Key.AccountId, bucket.Key.Region, "NumberOfObjects", bucket.Key.Bucket, "AllStorageTypes", "Count", bucket.Sum(u => u.Objects), at));
        }

        if (points.Count > 0)
        {
            await cloudWatch.Repository.PutAsync(points, cloudWatch.Time.GetUtcNow(), cancellationToken);
        }
    }

    private static CloudWatchRepository.PointWrite Point(string account, string region, string name, string bucket, string storageType, string unit, double value, long at) =>
        new(MetricInputs.Metric(account, region, Namespace, name, [new("BucketName", bucket), new("StorageType", storageType)]), 60, at, unit, MetricAggregate.Of(value));
}
