using System.Text.Json;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>What each bucket stores, by storage class, for CloudWatch's daily AWS/S3 storage metrics.</summary>
public sealed partial class S3Repository
{
    /// <summary>One bucket's bytes and object count in one storage class (current and noncurrent versions, not delete markers).</summary>
    public sealed record StorageClassUsage(string Bucket, string AccountId, string Region, string StorageClass, long Bytes, long Objects);

    public async Task<IReadOnlyList<StorageClassUsage>> StorageUsageAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var buckets = (await connection.QueryAsync<(string Name, string AccountId, string Region)>("SELECT name, account_id, region FROM s3_buckets")).ToList();
        var usage = new Dictionary<(string Bucket, string Class), (long Bytes, long Objects)>();
        foreach (var table in new[] { "s3_objects", "s3_versions" })
        {
            // Objects in STANDARD carry no storage class in their metadata: summed in SQL; the others read one by one.
            foreach (var (bucket, bytes, objects) in await connection.QueryAsync<(string, long, long)>(
                $"SELECT bucket, COALESCE(SUM(size), 0), COUNT(*) FROM {table} WHERE delete_marker = 0 AND meta NOT LIKE '%\"StorageClass\"%' GROUP BY bucket"))
            {
                Add(usage, bucket, "STANDARD", bytes, objects);
            }

            foreach (var (bucket, size, meta) in await connection.QueryAsync<(string, long, string)>(
                $"SELECT bucket, size, meta FROM {table} WHERE delete_marker = 0 AND meta LIKE '%\"StorageClass\"%'"))
            {
                using var document = JsonDocument.Parse(meta);
                var storageClass = document.RootElement.TryGetProperty("StorageClass", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "STANDARD";
                Add(usage, bucket, storageClass, size, 1);
            }
        }

        var owners = buckets.ToDictionary(b => b.Name, StringComparer.Ordinal);
        var result = new List<StorageClassUsage>();
        foreach (var bucket in buckets)
        {
            var classes = usage.Where(u => u.Key.Bucket == bucket.Name).ToList();
            if (classes.Count == 0)
            {
                result.Add(new(bucket.Name, bucket.AccountId, bucket.Region, "STANDARD", 0, 0));
            }

            result.AddRange(classes.Select(u => new StorageClassUsage(u.Key.Bucket, owners[u.Key.Bucket].AccountId, owners[u.Key.Bucket].Region, u.Key.Class, u.Value.Bytes, u.Value.Objects)));
        }

        return result;
    }

    private static void Add(Dictionary<(string, string), (long Bytes, long Objects)> usage, string bucket, string storageClass, long bytes, long objects)
    {
        var current = usage.GetValueOrDefault((bucket, storageClass));
        usage[(bucket, storageClass)] = (current.Bytes + bytes, current.Objects + objects);
    }
}
