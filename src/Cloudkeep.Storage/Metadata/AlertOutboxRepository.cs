using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>One alert on its way to one sink.</summary>
public sealed record AlertOutboxRow(string Id, string AlertId, string Sink, string Alert, long CreatedMs, long Attempts, long DueMs, string State, string? LastError, long? DoneMs)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";
}

/// <summary>
/// The alert outbox: an alert is written here (one row per sink) in the same step that raises it,
/// and leaves only when its sink took it or its retries ran out (the dead-letter list), so a
/// restart between the event and the delivery delivers it.
/// </summary>
public sealed class AlertOutboxRepository(IMetadataStore store)
{
    private const string Columns = "id AS Id, alert_id AS AlertId, sink AS Sink, alert AS Alert, created_ms AS CreatedMs, attempts AS Attempts, due_ms AS DueMs, state AS State, last_error AS LastError, done_ms AS DoneMs";

    public async Task AddAsync(IReadOnlyList<AlertOutboxRow> rows, CancellationToken cancellationToken)
    {
        await store.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var row in rows)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO alert_outbox (id, alert_id, sink, alert, created_ms, attempts, due_ms, state, last_error, done_ms) " +
                    "VALUES (@Id, @AlertId, @Sink, @Alert, @CreatedMs, @Attempts, @DueMs, @State, @LastError, @DoneMs)",
                    row, transaction, cancellationToken: cancellationToken));
            }

            return rows.Count;
        }, cancellationToken);
    }

    /// <summary>Pending rows due at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AlertOutboxRow>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<AlertOutboxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_outbox WHERE state = @state AND due_ms <= @now ORDER BY due_ms, created_ms LIMIT @limit",
            new { state = AlertOutboxRow.Pending, now = now.ToUnixTimeMilliseconds(), limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>Rows in one state (the dead-letter list is <see cref="AlertOutboxRow.Dead"/>), newest first.</summary>
    public async Task<IReadOnlyList<AlertOutboxRow>> ListAsync(string state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<AlertOutboxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_outbox WHERE state = @state ORDER BY created_ms DESC LIMIT @limit",
            new { state, limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>The state of every row (one per sink) of the given alerts: what a message held back until its alert went out waits on.</summary>
    public async Task<IReadOnlyList<(string AlertId, string State)>> StatesOfAsync(IReadOnlyList<string> alertIds, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = new List<(string AlertId, string State)>();
        foreach (var alertId in alertIds)
        {
            rows.AddRange(await connection.QueryAsync<(string AlertId, string State)>(new CommandDefinition(
                "SELECT alert_id, state FROM alert_outbox WHERE alert_id = @alertId", new { alertId }, cancellationToken: cancellationToken)));
        }

        return rows;
    }

    /// <summary>The newest rows whatever their state, newest first: what the console's alerts page shows.</summary>
    public async Task<IReadOnlyList<AlertOutboxRow>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<AlertOutboxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_outbox ORDER BY created_ms DESC LIMIT @limit", new { limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>Records an attempt's outcome; only a row still pending changes (another node may have finished it).</summary>
    public async Task<bool> RecordAsync(string id, string state, long attempts, long dueMs, string? lastError, long? doneMs, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_outbox SET state = @state, attempts = @attempts, due_ms = @dueMs, last_error = @lastError, done_ms = @doneMs WHERE id = @id AND state = @pending",
            new { id, state, attempts, dueMs, lastError, doneMs, pending = AlertOutboxRow.Pending }, cancellationToken: cancellationToken)) == 1;
    }
}
