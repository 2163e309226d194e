using System.Data.Common;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>CloudWatch's metrics and their data points: written merged into their period, read by range, rolled up as they age.</summary>
public sealed partial class CloudWatchRepository(IMetadataStore store)
{
    private const string PointColumns = "metric_key AS MetricKey, resolution AS Resolution, at AS At, unit AS Unit, sample_count AS SampleCount, total AS Total, minimum AS Minimum, maximum AS Maximum, distribution AS Distribution";

    private const string MetricColumns = "account_id AS AccountId, region AS Region, namespace AS Namespace, name AS Name, dimensions AS Dimensions, last_put AS LastPut";

    /// <summary>A data point to merge into its period: the metric, the period's resolution and start (epoch seconds), unit and values.</summary>
    public sealed record PointWrite(MetricIdentity Metric, int Resolution, long At, string Unit, MetricAggregate Value);

    /// <summary>Merges every point into its period, and notes each metric as written to at <paramref name="now"/>, in one transaction.</summary>
    public Task PutAsync(IReadOnlyList<PointWrite> points, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        return store.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var metric in points.Select(p => p.Metric).DistinctBy(m => m.Key))
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO cloudwatch_metrics (metric_key, account_id, region, namespace, name, dimensions, last_put) VALUES (@Key, @AccountId, @Region, @Namespace, @Name, @Dimensions, @now) " +
                        "ON CONFLICT (metric_key) DO UPDATE SET last_put = excluded.last_put",
                        new { metric.Key, metric.AccountId, metric.Region, metric.Namespace, metric.Name, metric.Dimensions, now = now.ToUnixTimeMilliseconds() },
                        transaction);
                }

                // Several points of one request may fall in one period: merge them first, then once with the stored row.
                foreach (var group in points.GroupBy(p => (p.Metric.Key, p.Resolution, p.At, p.Unit)))
                {
                    var value = group.Select(p => p.Value).Aggregate((a, b) => a.Merge(b));
                    await MergeAsync(connection, transaction, new MetricDatapointRecord(group.Key.Key, group.Key.Resolution, group.Key.At, group.Key.Unit, value));
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>The account's metrics in a region, optionally of one namespace and name, written to since <paramref name="activeSince"/>.</summary>
    public async Task<IReadOnlyList<MetricIdentity>> ListMetricsAsync(string accountId, string region, string? ns, string? name, DateTimeOffset activeSince, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MetricRow>(
            $"SELECT {MetricColumns} FROM cloudwatch_metrics WHERE account_id = @accountId AND region = @region " +
            (ns is null ? "" : "AND namespace = @ns ") + (name is null ? "" : "AND name = @name ") + "AND last_put >= @since",
            new { accountId, region, ns, name, since = activeSince.ToUnixTimeMilliseconds() });
        return [.. rows.Select(r => new MetricIdentity(r.AccountId, r.Region, r.Namespace, r.Name, r.Dimensions))
            .OrderBy(m => m.Namespace, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Dimensions, StringComparer.Ordinal)];
    }

    /// <summary>The stored periods of a metric starting in [<paramref name="from"/>, <paramref name="to"/>) (epoch seconds), every resolution.</summary>
    public async Task<IReadOnlyList<MetricDatapointRecord>> ReadAsync(string metricKey, long from, long to, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PointRow>(
            $"SELECT {PointColumns} FROM cloudwatch_datapoints WHERE metric_key = @metricKey AND at >= @from AND at < @to ORDER BY at",
            new { metricKey, from, to });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Whether any period of <paramref name="resolution"/> starts before <paramref name="before"/> (a retention pass with nothing to do writes nothing).</summary>
    public async Task<bool> AnyOlderAsync(int resolution, long before, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM cloudwatch_datapoints WHERE resolution = @resolution AND at < @before LIMIT 1) AS older",
            new { resolution, before }) > 0;
    }

    /// <summary>
    /// Aggregates up to <paramref name="batch"/> periods of <paramref name="from"/> seconds that start
    /// before <paramref name="before"/> into periods of <paramref name="to"/> seconds, and deletes
    /// them, in one transaction; how many it rolled up (0 when none is left).
    /// </summary>
    public Task<int> RollUpAsync(int from, int to, long before, int batch, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var rows = (await connection.QueryAsync<PointRow>(
                    $"SELECT {PointColumns} FROM cloudwatch_datapoints WHERE resolution = @from AND at < @before ORDER BY metric_key, at LIMIT @batch",
                    new { from, before, batch }, transaction)).Select(r => r.ToRecord()).ToList();
                foreach (var group in rows.GroupBy(r => (r.MetricKey, At: r.At - (((r.At % to) + to) % to), r.Unit)))
                {
                    var value = group.Select(r => r.Value).Aggregate((a, b) => a.Merge(b));
                    await MergeAsync(connection, transaction, new MetricDatapointRecord(group.Key.MetricKey, to, group.Key.At, group.Key.Unit, value));
                }

                foreach (var row in rows)
                {
                    await connection.ExecuteAsync(
                        "DELETE FROM cloudwatch_datapoints WHERE metric_key = @MetricKey AND resolution = @Resolution AND at = @At AND unit = @Unit",
                        new { row.MetricKey, row.Resolution, row.At, row.Unit }, transaction);
                }

                return rows.Count;
            },
            cancellationToken);

    /// <summary>Deletes the periods of <paramref name="resolution"/> that start before <paramref name="before"/>, and the metrics left with no data and not written to since <paramref name="idleSince"/>.</summary>
    public async Task<int> ExpireAsync(int resolution, long before, DateTimeOffset idleSince, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync("DELETE FROM cloudwatch_datapoints WHERE resolution = @resolution AND at < @before", new { resolution, before });
        await connection.ExecuteAsync(
            "DELETE FROM cloudwatch_metrics WHERE last_put < @idle AND NOT EXISTS (SELECT 1 FROM cloudwatch_datapoints d WHERE d.metric_key = cloudwatch_metrics.metric_key)",
            new { idle = idleSince.ToUnixTimeMilliseconds() });
        return deleted;
    }

    private static async Task MergeAsync(DbConnection connection, DbTransaction transaction, MetricDatapointRecord point)
    {
        var key = new { point.MetricKey, point.Resolution, point.At, point.Unit };
        var stored = await connection.QuerySingleOrDefaultAsync<PointRow>(
            $"SELECT {PointColumns} FROM cloudwatch_datapoints WHERE metric_key = @MetricKey AND resolution = @Resolution AND at = @At AND unit = @Unit", key, transaction);
        var value = stored is null ? point.Value : stored.ToRecord().Value.Merge(point.Value);
        var parameters = new
        {
            point.MetricKey, point.Resolution, point.At, point.Unit,
            value.SampleCount, value.Sum, value.Minimum, value.Maximum, Distribution = value.DistributionText(),
        };
        await connection.ExecuteAsync(
            stored is null
                ? "INSERT INTO cloudwatch_datapoints (metric_key, resolution, at, unit, sample_count, total, minimum, maximum, distribution) VALUES (@MetricKey, @Resolution, @At, @Unit, @SampleCount, @Sum, @Minimum, @Maximum, @Distribution)"
                : "UPDATE cloudwatch_datapoints SET sample_count = @SampleCount, total = @Sum, minimum = @Minimum, maximum = @Maximum, distribution = @Distribution WHERE metric_key = @MetricKey AND resolution = @Resolution AND at = @At AND unit = @Unit",
            parameters,
            transaction);
    }

    private sealed class MetricRow
    {
        public string AccountId { get; init; } = "";

        public string Region { get; init; } = "";

        public string Namespace { get; init; } = "";

        public string Name { get; init; } = "";

        public string Dimensions { get; init; } = "";

        public long LastPut { get; init; }
    }

    private sealed class PointRow
    {
        public string MetricKey { get; init; } = "";

        public long Resolution { get; init; }

        public long At { get; init; }

        public string Unit { get; init; } = "";

        public double SampleCount { get; init; }

        public double Total { get; init; }

        public double Minimum { get; init; }

        public double Maximum { get; init; }

        public string? Distribution { get; init; }

        public MetricDatapointRecord ToRecord() =>
            new(MetricKey, (int)Resolution, At, Unit, new MetricAggregate(SampleCount, Total, Minimum, Maximum, MetricAggregate.ParseDistribution(Distribution)));
    }
}
