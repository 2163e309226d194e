using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>One server access log line waiting for delivery; <see cref="Id"/> orders a bucket's lines (time first).</summary>
public sealed record S3AccessLogLine(string Id, string SourceBucket, DateTimeOffset At, string Line);

/// <summary>
/// Server access log lines between the request that made them and their delivery: appended in
/// batches, read per source bucket in order, and removed once delivered (or refused).
/// </summary>
public sealed partial class S3Repository
{
    public Task AppendAccessLogLinesAsync(IReadOnlyList<S3AccessLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var line in lines)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO s3_access_log_lines (id, source_bucket, at, line) VALUES (@Id, @SourceBucket, @at, @Line) ON CONFLICT (id) DO NOTHING",
                        new { line.Id, line.SourceBucket, at = line.At.ToUnixTimeMilliseconds(), line.Line }, transaction);
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>The buckets with lines written at or before <paramref name="until"/>.</summary>
    public async Task<IReadOnlyList<string>> AccessLogSourcesAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(
            "SELECT DISTINCT source_bucket FROM s3_access_log_lines WHERE at <= @until ORDER BY source_bucket", new { until = until.ToUnixTimeMilliseconds() })];
    }

    /// <summary>A source bucket's oldest lines written at or before <paramref name="until"/>, in order.</summary>
    public async Task<IReadOnlyList<S3AccessLogLine>> AccessLogLinesAsync(string sourceBucket, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string SourceBucket, long At, string Line)>(
            "SELECT id, source_bucket, at, line FROM s3_access_log_lines WHERE source_bucket = @sourceBucket AND at <= @until ORDER BY id LIMIT @limit",
            new { sourceBucket, until = until.ToUnixTimeMilliseconds(), limit });
        return [.. rows.Select(r => new S3AccessLogLine(r.Id, r.SourceBucket, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.Line))];
    }

    public Task RemoveAccessLogLinesAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var id in ids)
                {
                    await connection.ExecuteAsync("DELETE FROM s3_access_log_lines WHERE id = @id", new { id }, transaction);
                }

                return true;
            },
            cancellationToken);
    }
}
