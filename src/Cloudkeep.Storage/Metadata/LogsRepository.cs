using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>CloudWatch Logs' groups, streams and events, each group in an account and region.</summary>
public sealed class LogsRepository
{
    private const string GroupColumns = "account_id AS AccountId, region AS Region, name AS Name, retention_days AS RetentionDays, kms_key_id AS KmsKeyId, tags AS Tags, created_at AS CreatedAt";

    private const string StreamColumns = "group_name AS GroupName, name AS Name, created_at AS CreatedAt, first_event AS FirstEvent, last_event AS LastEvent, last_ingestion AS LastIngestion, stored_bytes AS StoredBytes";

    private const string EventColumns = "stream_name AS StreamName, seq AS Sequence, at AS Timestamp, ingested_at AS IngestionTime, message AS Message";

    private readonly IMetadataStore _store;

    public LogsRepository(IMetadataStore store)
    {
        _store = store;
    }

    public async Task<bool> InsertGroupAsync(LogGroupRecord group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "INSERT INTO logs_groups (account_id, region, name, retention_days, kms_key_id, tags, created_at) VALUES (@AccountId, @Region, @Name, @RetentionDays, @KmsKeyId, @Tags, @at) " +
            "ON CONFLICT (account_id, region, name) DO NOTHING",
            new { group.AccountId, group.Region, group.Name, group.RetentionDays, group.KmsKeyId, group.Tags, at = group.CreatedAt.ToUnixTimeMilliseconds() }) == 1;
    }

    public async Task<LogGroupRecord?> GetGroupAsync(string accountId, string region, string name, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<GroupRow>(
            $"SELECT {GroupColumns} FROM logs_groups WHERE account_id = @accountId AND region = @region AND name = @name", new { accountId, region, name });
        return row?.ToRecord();
    }

    /// <summary>Groups whose names start with <paramref name="prefix"/>, in name order after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<LogGroupRecord>> ListGroupsAsync(string accountId, string region, string prefix, string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<GroupRow>(
            $"SELECT {GroupColumns} FROM logs_groups WHERE account_id = @accountId AND region = @region AND name >= @prefix AND name > @after ORDER BY name LIMIT @limit",
            new { accountId, region, prefix, after, limit = limit * 4 });
        return [.. rows.Select(r => r.ToRecord()).Where(g => g.Name.StartsWith(prefix, StringComparison.Ordinal)).Take(limit)];
    }

    /// <summary>Every group that has a retention setting (for the retention job).</summary>
    public async Task<IReadOnlyList<LogGroupRecord>> GroupsWithRetentionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<GroupRow>($"SELECT {GroupColumns} FROM logs_groups WHERE retention_days IS NOT NULL");
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<bool> UpdateGroupAsync(LogGroupRecord group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE logs_groups SET retention_days = @RetentionDays, tags = @Tags WHERE account_id = @AccountId AND region = @Region AND name = @Name",
            new { group.AccountId, group.Region, group.Name, group.RetentionDays, group.Tags }) == 1;
    }

    /// <summary>Deletes a group with its streams and events; false when it did not exist.</summary>
    public Task<bool> DeleteGroupAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var key = new { accountId, region, name };
                await connection.ExecuteAsync("DELETE FROM logs_events WHERE account_id = @accountId AND region = @region AND group_name = @name", key, transaction);
                await connection.ExecuteAsync("DELETE FROM logs_streams WHERE account_id = @accountId AND region = @region AND group_name = @name", key, transaction);
                return await connection.ExecuteAsync("DELETE FROM logs_groups WHERE account_id = @accountId AND region = @region AND name = @name", key, transaction) == 1;
            },
            cancellationToken);

    public async Task<bool> InsertStreamAsync(string accountId, string region, string group, string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "INSERT INTO logs_streams (account_id, region, group_name, name, created_at, stored_bytes) VALUES (@accountId, @region, @group, @name, @at, 0) " +
            "ON CONFLICT (account_id, region, group_name, name) DO NOTHING",
            new { accountId, region, group, name, at = at.ToUnixTimeMilliseconds() }) == 1;
    }

    public async Task<LogStreamRecord?> GetStreamAsync(string accountId, string region, string group, string name, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StreamRow>(
            $"SELECT {StreamColumns} FROM logs_streams WHERE account_id = @accountId AND region = @region AND group_name = @group AND name = @name",
            new { accountId, region, group, name });
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<LogStreamRecord>> ListStreamsAsync(string accountId, string region, string group, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StreamRow>(
            $"SELECT {StreamColumns} FROM logs_streams WHERE account_id = @accountId AND region = @region AND group_name = @group ORDER BY name",
            new { accountId, region, group });
        return [.. rows.Select(r => r.ToRecord())];
    }

    public Task<bool> DeleteStreamAsync(string accountId, string region, string group, string name, CancellationToken cancellationToken) =>
        _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var key = new { accountId, region, group, name };
                await connection.ExecuteAsync("DELETE FROM logs_events WHERE account_id = @accountId AND region = @region AND group_name = @group AND stream_name = @name", key, transaction);
                return await connection.ExecuteAsync("DELETE FROM logs_streams WHERE account_id = @accountId AND region = @region AND group_name = @group AND name = @name", key, transaction) == 1;
            },
            cancellationToken);

    /// <summary>Appends events to a stream in one transaction and updates what the stream spans; false when the stream is gone.</summary>
    public Task<bool> AppendAsync(string accountId, string region, string group, string stream, IReadOnlyList<(long Timestamp, string Message)> events, long ingestedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var key = new { accountId, region, group, stream };
                var bytes = events.Sum(e => (long)System.Text.Encoding.UTF8.GetByteCount(e.Message) + 26);
                var updated = await connection.ExecuteAsync(
                    "UPDATE logs_streams SET " +
                    "first_event = CASE WHEN first_event IS NULL OR first_event > @first THEN @first ELSE first_event END, " +
                    "last_event = CASE WHEN last_event IS NULL OR last_event < @last THEN @last ELSE last_event END, " +
                    "last_ingestion = @ingestedAt, stored_bytes = stored_bytes + @bytes " +
                    "WHERE account_id = @accountId AND region = @region AND group_name = @group AND name = @stream",
                    new { accountId, region, group, stream, first = events.Min(e => e.Timestamp), last = events.Max(e => e.Timestamp), ingestedAt, bytes }, transaction);
                if (updated == 0)
                {
                    return false;
                }

                var next = await connection.ExecuteScalarAsync<long>(
                    "SELECT COALESCE(MAX(seq), 0) FROM logs_events WHERE account_id = @accountId AND region = @region AND group_name = @group AND stream_name = @stream", key, transaction);
                foreach (var (timestamp, message) in events)
                {
                    next++;
                    await connection.ExecuteAsync(
                        "INSERT INTO logs_events (account_id, region, group_name, stream_name, seq, at, ingested_at, message) VALUES (@accountId, @region, @group, @stream, @next, @timestamp, @ingestedAt, @message)",
                        new { accountId, region, group, stream, next, timestamp, ingestedAt, message }, transaction);
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>A stream's events between two timestamps in time order, after the (timestamp, sequence) position given.</summary>
    public async Task<IReadOnlyList<LogEventRecord>> StreamEventsAsync(string accountId, string region, string group, string stream, long from, long to, (long At, long Seq) after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(
            $"SELECT {EventColumns} FROM logs_events WHERE account_id = @accountId AND region = @region AND group_name = @group AND stream_name = @stream " +
            "AND at >= @from AND at < @to AND (at > @afterAt OR (at = @afterAt AND seq > @afterSeq)) ORDER BY at, seq LIMIT @limit",
            new { accountId, region, group, stream, from, to, afterAt = after.At, afterSeq = after.Seq, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>A stream's newest events between two timestamps, before the (timestamp, sequence) position given, newest first.</summary>
    public async Task<IReadOnlyList<LogEventRecord>> StreamEventsBackwardAsync(string accountId, string region, string group, string stream, long from, long to, (long At, long Seq) before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(
            $"SELECT {EventColumns} FROM logs_events WHERE account_id = @accountId AND region = @region AND group_name = @group AND stream_name = @stream " +
            "AND at >= @from AND at < @to AND (at < @beforeAt OR (at = @beforeAt AND seq < @beforeSeq)) ORDER BY at DESC, seq DESC LIMIT @limit",
            new { accountId, region, group, stream, from, to, beforeAt = before.At, beforeSeq = before.Seq, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>A group's events across streams between two timestamps in time order, after a position (timestamp, stream, sequence).</summary>
    public async Task<IReadOnlyList<LogEventRecord>> GroupEventsAsync(string accountId, string region, string group, long from, long to, (long At, string Stream, long Seq) after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(
            $"SELECT {EventColumns} FROM logs_events WHERE account_id = @accountId AND region = @region AND group_name = @group " +
            "AND at >= @from AND at < @to AND (at > @afterAt OR (at = @afterAt AND (stream_name > @afterStream OR (stream_name = @afterStream AND seq > @afterSeq)))) " +
            "ORDER BY at, stream_name, seq LIMIT @limit",
            new { accountId, region, group, from, to, afterAt = after.At, afterStream = after.Stream, afterSeq = after.Seq, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Deletes a group's events older than <paramref name="before"/> (milliseconds); how many went.</summary>
    public async Task<int> ExpireAsync(string accountId, string region, string group, long before, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "DELETE FROM logs_events WHERE account_id = @accountId AND region = @region AND group_name = @group AND at < @before", new { accountId, region, group, before });
    }

    /// <summary>Whether a group has events older than <paramref name="before"/> (a read, so an idle job writes nothing).</summary>
    public async Task<bool> AnyOlderAsync(string accountId, string region, string group, long before, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM logs_events WHERE account_id = @accountId AND region = @region AND group_name = @group AND at < @before LIMIT 1) x",
            new { accountId, region, group, before }) > 0;
    }

    private sealed class GroupRow
    {
        public string AccountId { get; set; } = "";

        public string Region { get; set; } = "";

        public string Name { get; set; } = "";

        public long? RetentionDays { get; set; }

        public string? KmsKeyId { get; set; }

        public string Tags { get; set; } = "{}";

        public long CreatedAt { get; set; }

        public LogGroupRecord ToRecord() => new(AccountId, Region, Name, (int?)RetentionDays, KmsKeyId, Tags, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    private sealed class StreamRow
    {
        public string GroupName { get; set; } = "";

        public string Name { get; set; } = "";

        public long CreatedAt { get; set; }

        public long? FirstEvent { get; set; }

        public long? LastEvent { get; set; }

        public long? LastIngestion { get; set; }

        public long StoredBytes { get; set; }

        public LogStreamRecord ToRecord() => new(GroupName, Name, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), FirstEvent, LastEvent, LastIngestion, StoredBytes);
    }

    private sealed class EventRow
    {
        public string StreamName { get; set; } = "";

        public long Sequence { get; set; }

        public long Timestamp { get; set; }

        public long IngestionTime { get; set; }

        public string Message { get; set; } = "";

        public LogEventRecord ToRecord() => new(StreamName, Sequence, Timestamp, IngestionTime, Message);
    }
}
