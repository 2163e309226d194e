using System.Text;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>One stored CloudTrail event: the columns LookupEvents filters on, and the record as AWS writes it.</summary>
public sealed record CloudTrailEventRow(
    string EventId,
    string AccountId,
    string Region,
    DateTimeOffset EventTime,
    string EventName,
    string EventSource,
    string? Username,
    string? AccessKeyId,
    bool ReadOnly,
    bool Management,
    string Record,
    IReadOnlyList<(string Type, string Name)> Resources);

/// <summary>A LookupEvents filter: at most one attribute (AWS accepts one), the time window, and the page.</summary>
public sealed record CloudTrailEventQuery(
    string AccountId,
    string Region,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? AttributeKey,
    string? AttributeValue,
    (long Time, string EventId)? After,
    int Limit);

/// <summary>A trail as stored: its settings as one JSON document (the Trail shape, selectors and tags).</summary>
public sealed record CloudTrailTrailRow(string Arn, string AccountId, string HomeRegion, string Name, string Document, bool Logging, DateTimeOffset CreatedAt);

/// <summary>CloudTrail's events (written in batches by the record step) and trails.</summary>
public sealed partial class CloudTrailRepository(IMetadataStore store)
{
    private const string EventColumns =
        "event_id AS EventId, account_id AS AccountId, region AS Region, event_time AS EventTime, event_name AS EventName, event_source AS EventSource, " +
        "username AS Username, access_key_id AS AccessKeyId, read_only AS ReadOnly, management AS Management, record AS Record";

    private const string TrailColumns =
        "arn AS Arn, account_id AS AccountId, home_region AS HomeRegion, name AS Name, document AS Document, logging AS Logging, created_at AS CreatedAt";

    /// <summary>
    /// Stores a batch of events in one transaction; an event already stored (a retried batch) is left as
    /// it is. The same transaction adds one <c>cloudtrail_stored</c> row naming the batch's new events,
    /// which is how delivery finds what it has yet to look at: a row per batch instead of a flag, an
    /// index entry and a later UPDATE per event. On SQLite the rows go in through SQLite's own prepared
    /// statements (<see cref="InsertOnSqlite"/>); elsewhere through one reused command per statement.
    /// </summary>
    public Task AppendEventsAsync(IReadOnlyList<CloudTrailEventRow> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var inserted = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
                    ? InsertOnSqlite(sqlite, events)
                    : await InsertAsync(connection, transaction, events, cancellationToken);
                if (inserted.Count > 0)
                {
                    var keys = new StringBuilder(inserted.Count * 50);
                    foreach (var e in inserted)
                    {
                        keys.Append(keys.Length == 0 ? "" : ",").Append(e.AccountId).Append(':').Append(e.EventId);
                    }

                    await using var stored = Command(connection, transaction, "INSERT INTO cloudtrail_stored (stored_id, newest_event, event_keys) VALUES (@id, @newest, @keys)", "id", "newest", "keys");
                    Bind(stored, Guid.CreateVersion7().ToString("N"), inserted.Max(e => e.EventTime).ToUnixTimeMilliseconds(), keys.ToString());
                    await stored.ExecuteNonQueryAsync(cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }

    private const string InsertEventSql =
        "INSERT INTO cloudtrail_events (event_id, account_id, region, event_time, event_name, event_source, username, access_key_id, read_only, management, record) " +
        "VALUES (@id, @account, @region, @time, @name, @source, @username, @key, @readOnly, @management, @record) ON CONFLICT (account_id, event_id) DO NOTHING";

    private const string InsertResourceSql =
        "INSERT INTO cloudtrail_event_resources (account_id, event_id, resource_type, resource_name) VALUES (@account, @id, @type, @name)";

    /// <summary>
    /// The events through ADO.NET: one command per statement, reused for every row (a command made per
    /// row, as Dapper makes them, has the engine parse and plan the INSERT again for each event).
    /// </summary>
    private static async Task<List<CloudTrailEventRow>> InsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, IReadOnlyList<CloudTrailEventRow> events, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction, InsertEventSql, "id", "account", "region", "time", "name", "source", "username", "key", "readOnly", "management", "record");
        await using var resource = Command(connection, transaction, InsertResourceSql, "account", "id", "type", "name");
        var inserted = new List<CloudTrailEventRow>(events.Count);
        foreach (var e in events)
        {
            Bind(insert, e.EventId, e.AccountId, e.Region, e.EventTime.ToUnixTimeMilliseconds(), e.EventName, e.EventSource, e.Username, e.AccessKeyId, e.ReadOnly ? 1 : 0, e.Management ? 1 : 0, e.Record);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                continue;
            }

            inserted.Add(e);
            foreach (var (type, name) in e.Resources)
            {
                Bind(resource, e.AccountId, e.EventId, type, name);
                await resource.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        return inserted;
    }

    /// <summary>A command with its parameters named in order, to be given values with <see cref="Bind"/> and run as often as needed.</summary>
    private static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            Parameter(command, name);
        }

        return command;
    }

    /// <summary>Sets a <see cref="Command"/>'s parameters in the order they were named; null is SQL NULL.</summary>
    private static void Bind(System.Data.Common.DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    /// <summary>An event read with <see cref="EventColumns"/>, without its resources.</summary>
    private static CloudTrailEventRow ReadEvent(System.Data.Common.DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetString(4), reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
        Convert.ToInt64(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture) != 0, Convert.ToInt64(reader.GetValue(9), System.Globalization.CultureInfo.InvariantCulture) != 0,
        reader.GetString(10), []);

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Management events newest first, as LookupEvents lists them.</summary>
    public async Task<IReadOnlyList<CloudTrailEventRow>> LookupEventsAsync(CloudTrailEventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT ").Append(EventColumns).Append(
            " FROM cloudtrail_events e WHERE account_id = @AccountId AND region = @Region AND management = 1 AND event_time >= @start AND event_time <= @end");
        var parameters = new DynamicParameters(new { query.AccountId, query.Region, start = query.Start.ToUnixTimeMilliseconds(), end = query.End.ToUnixTimeMilliseconds(), query.Limit });
        if (query.AttributeKey is { } key)
        {
            parameters.Add("value", query.AttributeValue);
            sql.Append(key switch
            {
                "EventId" => " AND event_id = @value",
                "EventName" => " AND event_name = @value",
                "EventSource" => " AND event_source = @value",
                "Username" => " AND username = @value",
                "AccessKeyId" => " AND access_key_id = @value",
                "ReadOnly" => " AND read_only = @readOnlyValue",
                "ResourceType" => " AND EXISTS (SELECT 1 FROM cloudtrail_event_resources r WHERE r.account_id = e.account_id AND r.event_id = e.event_id AND r.resource_type = @value)",
                "ResourceName" => " AND EXISTS (SELECT 1 FROM cloudtrail_event_resources r WHERE r.account_id = e.account_id AND r.event_id = e.event_id AND r.resource_name = @value)",
                _ => throw new ArgumentException("Unknown lookup attribute " + key, nameof(query)),
            });
            if (key == "ReadOnly")
            {
                parameters.Add("readOnlyValue", string.Equals(query.AttributeValue, "true", StringComparison.OrdinalIgnoreCase) ? 1 : 0);
            }
        }

        if (query.After is { } after)
        {
            parameters.Add("afterTime", after.Time);
            parameters.Add("afterId", after.EventId);
            sql.Append(" AND (event_time < @afterTime OR (event_time = @afterTime AND event_id < @afterId))");
        }

        sql.Append(" ORDER BY event_time DESC, event_id DESC LIMIT @Limit");
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string EventId, string AccountId, string Region, long EventTime, string EventName, string EventSource, string? Username, string? AccessKeyId, long ReadOnly, long Management, string Record)>(sql.ToString(), parameters)).ToList();
        var result = new List<CloudTrailEventRow>(rows.Count);
        foreach (var r in rows)
        {
            var resources = await connection.QueryAsync<(string Type, string Name)>(
                "SELECT resource_type, resource_name FROM cloudtrail_event_resources WHERE account_id = @AccountId AND event_id = @EventId", new { r.AccountId, r.EventId });
            result.Add(new CloudTrailEventRow(r.EventId, r.AccountId, r.Region, DateTimeOffset.FromUnixTimeMilliseconds(r.EventTime), r.EventName, r.EventSource, r.Username, r.AccessKeyId, r.ReadOnly != 0, r.Management != 0, r.Record, [.. resources]));
        }

        return result;
    }

    /// <summary>Every stored record of an account (management and data), oldest first: what a trail delivers.</summary>
    public async Task<IReadOnlyList<CloudTrailEventRow>> EventsSinceAsync(DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string EventId, string AccountId, string Region, long EventTime, string EventName, string EventSource, string? Username, string? AccessKeyId, long ReadOnly, long Management, string Record)>(
            "SELECT " + EventColumns + " FROM cloudtrail_events WHERE event_time >= @from AND event_time < @until ORDER BY event_time, account_id, event_id LIMIT @limit",
            new { from = from.ToUnixTimeMilliseconds(), until = until.ToUnixTimeMilliseconds(), limit });
        return [.. rows.Select(r => new CloudTrailEventRow(r.EventId, r.AccountId, r.Region, DateTimeOffset.FromUnixTimeMilliseconds(r.EventTime), r.EventName, r.EventSource, r.Username, r.AccessKeyId, r.ReadOnly != 0, r.Management != 0, r.Record, []))];
    }

    /// <summary>Whether any event is older than <paramref name="before"/> (read only: an idle estate is not written to).</summary>
    public async Task<bool> HasEventsBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<long?>("SELECT 1 FROM cloudtrail_events WHERE event_time < @cutoff LIMIT 1", new { cutoff = before.ToUnixTimeMilliseconds() }) is not null;
    }

    /// <summary>Removes events older than <paramref name="before"/> (LookupEvents keeps 90 days).</summary>
    public Task<int> ExpireEventsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var cutoff = before.ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(
                    "DELETE FROM cloudtrail_event_resources WHERE EXISTS (SELECT 1 FROM cloudtrail_events e WHERE e.account_id = cloudtrail_event_resources.account_id AND e.event_id = cloudtrail_event_resources.event_id AND e.event_time < @cutoff)",
                    new { cutoff }, transaction);
                await connection.ExecuteAsync("DELETE FROM cloudtrail_stored WHERE newest_event < @cutoff", new { cutoff }, transaction);
                return await connection.ExecuteAsync("DELETE FROM cloudtrail_events WHERE event_time < @cutoff", new { cutoff }, transaction);
            },
            cancellationToken);

    public async Task<bool> CreateTrailAsync(CloudTrailTrailRow trail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trail);
        try
        {
            return await store.InTransactionAsync(
                async (connection, transaction) =>
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO cloudtrail_trails (arn, account_id, home_region, name, document, logging, created_at) VALUES (@Arn, @AccountId, @HomeRegion, @Name, @Document, @logging, @created)",
                        new { trail.Arn, trail.AccountId, trail.HomeRegion, trail.Name, trail.Document, logging = trail.Logging ? 1 : 0, created = trail.CreatedAt.ToUnixTimeMilliseconds() },
                        transaction);
                    return true;
                },
                cancellationToken);
        }
        catch (Exception e) when (store.IsUniqueViolation(e))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<CloudTrailTrailRow>> TrailsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Arn, string AccountId, string HomeRegion, string Name, string Document, long Logging, long CreatedAt)>(
            "SELECT " + TrailColumns + " FROM cloudtrail_trails ORDER BY arn");
        return [.. rows.Select(r => new CloudTrailTrailRow(r.Arn, r.AccountId, r.HomeRegion, r.Name, r.Document, r.Logging != 0, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt)))];
    }

    public Task<bool> UpdateTrailAsync(string arn, string document, bool logging, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                "UPDATE cloudtrail_trails SET document = @document, logging = @logging WHERE arn = @arn", new { arn, document, logging = logging ? 1 : 0 }, transaction) > 0,
            cancellationToken);

    public Task<bool> DeleteTrailAsync(string arn, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync("DELETE FROM cloudtrail_trails WHERE arn = @arn", new { arn }, transaction) > 0,
            cancellationToken);
}
