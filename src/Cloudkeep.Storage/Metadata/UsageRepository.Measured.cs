using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>What the hourly roll-up measures from the stores: resources that cost by the hour they exist.</summary>
public sealed partial class UsageRepository
{
    /// <summary>Symmetric KMS keys per account and region that are billed (every key not pending deletion).</summary>
    public async Task<IReadOnlyList<(string AccountId, string Region, long Keys)>> KmsKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, long)>(
            "SELECT account_id, region, COUNT(*) FROM kms_keys WHERE key_state <> 'PendingDeletion' GROUP BY account_id, region")];
    }

    /// <summary>Route 53 hosted zones per account, public and private alike (both are billed per zone-month).</summary>
    public async Task<IReadOnlyList<(string AccountId, long Zones)>> HostedZonesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, long)>("SELECT account_id, COUNT(*) FROM route53_zones GROUP BY account_id")];
    }

    /// <summary>Custom metrics per account and region (AWS/* namespaces are the services' own and not billed as custom metrics).</summary>
    public async Task<IReadOnlyList<(string AccountId, string Region, long Metrics)>> CustomMetricsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, long)>(
            "SELECT account_id, region, COUNT(*) FROM cloudwatch_metrics WHERE namespace NOT LIKE 'AWS/%' GROUP BY account_id, region")];
    }

    /// <summary>Metric alarms per account and region.</summary>
    public async Task<IReadOnlyList<(string AccountId, string Region, long Alarms)>> AlarmsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, long)>(
            "SELECT account_id, region, COUNT(*) FROM cloudwatch_alarms GROUP BY account_id, region")];
    }

    /// <summary>CloudWatch Logs' stored event bytes per account and region.</summary>
    public async Task<IReadOnlyList<(string AccountId, string Region, long Bytes)>> LogBytesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, long)>(
            "SELECT account_id, region, COALESCE(SUM(stored_bytes), 0) FROM logs_streams GROUP BY account_id, region")];
    }

    /// <summary>Each bucket's configuration document, from which its cost allocation tags are read.</summary>
    public async Task<IReadOnlyDictionary<string, string>> BucketConfigsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string Name, string Config)>("SELECT name, config FROM s3_buckets")).ToDictionary(b => b.Name, b => b.Config, StringComparer.Ordinal);
    }
}
