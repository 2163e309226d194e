using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>CloudWatch's metric alarms, their state and their history.</summary>
public sealed partial class CloudWatchRepository
{
    private const string AlarmColumns =
        "account_id AS AccountId, region AS Region, name AS Name, definition AS Definition, actions_enabled AS ActionsEnabled, state AS State, " +
        "state_reason AS StateReason, state_reason_data AS StateReasonData, state_updated AS StateUpdated, state_transitioned AS StateTransitioned, " +
        "config_updated AS ConfigUpdated, tags AS Tags";

    private const string HistoryColumns = "account_id AS AccountId, region AS Region, alarm_name AS AlarmName, at AS At, id AS Id, item_type AS ItemType, summary AS Summary, data AS Data";

    /// <summary>Creates or replaces an alarm with its history item, in one transaction.</summary>
    public Task PutAlarmAsync(MetricAlarmRecord alarm, AlarmHistoryRecord history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return store.InTransactionAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(
                    "INSERT INTO cloudwatch_alarms (account_id, region, name, definition, actions_enabled, state, state_reason, state_reason_data, state_updated, state_transitioned, config_updated, tags) " +
                    "VALUES (@AccountId, @Region, @Name, @Definition, @enabled, @State, @StateReason, @StateReasonData, @updated, @transitioned, @config, @Tags) " +
                    "ON CONFLICT (account_id, region, name) DO UPDATE SET definition = excluded.definition, actions_enabled = excluded.actions_enabled, " +
                    "config_updated = excluded.config_updated, tags = excluded.tags",
                    AlarmParameters(alarm), transaction);
                await InsertHistoryAsync(connection, transaction, history);
                return true;
            },
            cancellationToken);
    }

    public async Task<MetricAlarmRecord?> GetAlarmAsync(string accountId, string region, string name, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AlarmRow>(
            $"SELECT {AlarmColumns} FROM cloudwatch_alarms WHERE account_id = @accountId AND region = @region AND name = @name", new { accountId, region, name });
        return row?.ToRecord();
    }

    /// <summary>The alarms of an account in a region, in name order (null for every account and region: the evaluation job's view).</summary>
    public async Task<IReadOnlyList<MetricAlarmRecord>> ListAlarmsAsync(string? accountId, string? region, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AlarmRow>(
            $"SELECT {AlarmColumns} FROM cloudwatch_alarms" + (accountId is null ? "" : " WHERE account_id = @accountId AND region = @region"),
            new { accountId, region });
        return [.. rows.Select(r => r.ToRecord()).OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    /// <summary>Deletes the named alarms and their history; the names that existed.</summary>
    public Task<IReadOnlyList<string>> DeleteAlarmsAsync(string accountId, string region, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        store.InTransactionAsync<IReadOnlyList<string>>(
            async (connection, transaction) =>
            {
                var deleted = new List<string>();
                foreach (var name in names)
                {
                    var key = new { accountId, region, name };
                    if (await connection.ExecuteAsync("DELETE FROM cloudwatch_alarms WHERE account_id = @accountId AND region = @region AND name = @name", key, transaction) == 1)
                    {
                        deleted.Add(name);
                        await connection.ExecuteAsync("DELETE FROM cloudwatch_alarm_history WHERE account_id = @accountId AND region = @region AND alarm_name = @name", key, transaction);
                    }
                }

                return deleted;
            },
            cancellationToken);

    /// <summary>
    /// Moves an alarm to a new state if it is still in <paramref name="expectedState"/> (another node or
    /// a SetAlarmState may have moved it meanwhile), with its history item; false when it was not.
    /// </summary>
    public Task<bool> TransitionAsync(MetricAlarmRecord alarm, string expectedState, AlarmHistoryRecord history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var changed = await connection.ExecuteAsync(
                    "UPDATE cloudwatch_alarms SET state = @State, state_reason = @StateReason, state_reason_data = @StateReasonData, state_updated = @updated, state_transitioned = @transitioned " +
                    "WHERE account_id = @AccountId AND region = @Region AND name = @Name AND state = @expectedState",
                    new { alarm.AccountId, alarm.Region, alarm.Name, alarm.State, alarm.StateReason, alarm.StateReasonData, updated = alarm.StateUpdated.ToUnixTimeMilliseconds(), transitioned = alarm.StateTransitioned.ToUnixTimeMilliseconds(), expectedState },
                    transaction);
                if (changed == 1)
                {
                    await InsertHistoryAsync(connection, transaction, history);
                }

                return changed == 1;
            },
            cancellationToken);
    }

    public async Task<int> SetActionsEnabledAsync(string accountId, string region, IReadOnlyList<string> names, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE cloudwatch_alarms SET actions_enabled = @enabled WHERE account_id = @accountId AND region = @region AND name = @name",
            names.Select(name => new { accountId, region, name, enabled = enabled ? 1 : 0 }));
    }

    public async Task<bool> SetTagsAsync(string accountId, string region, string name, string tags, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE cloudwatch_alarms SET tags = @tags WHERE account_id = @accountId AND region = @region AND name = @name", new { accountId, region, name, tags }) == 1;
    }

    public async Task AddHistoryAsync(AlarmHistoryRecord history, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await InsertHistoryAsync(connection, null, history);
    }

    /// <summary>History items of an account's alarms in a region between two instants, newest first.</summary>
    public async Task<IReadOnlyList<AlarmHistoryRecord>> ListHistoryAsync(string accountId, string region, string? alarmName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HistoryRow>(
            $"SELECT {HistoryColumns} FROM cloudwatch_alarm_history WHERE account_id = @accountId AND region = @region " +
            (alarmName is null ? "" : "AND alarm_name = @alarmName ") + "AND at >= @from AND at <= @to ORDER BY at DESC, id DESC",
            new { accountId, region, alarmName, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Deletes history older than <paramref name="before"/> (CloudWatch keeps 30 days of it).</summary>
    public async Task<int> ExpireHistoryAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM cloudwatch_alarm_history WHERE at < @before", new { before = before.ToUnixTimeMilliseconds() });
    }

    private static Task<int> InsertHistoryAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, AlarmHistoryRecord history) =>
        connection.ExecuteAsync(
            "INSERT INTO cloudwatch_alarm_history (account_id, region, alarm_name, at, id, item_type, summary, data) VALUES (@AccountId, @Region, @AlarmName, @at, @Id, @ItemType, @Summary, @Data)",
            new { history.AccountId, history.Region, history.AlarmName, at = history.At.ToUnixTimeMilliseconds(), history.Id, history.ItemType, history.Summary, history.Data },
            transaction);

    private static object AlarmParameters(MetricAlarmRecord alarm) => new
    {
        alarm.AccountId, alarm.Region, alarm.Name, alarm.Definition, enabled = alarm.ActionsEnabled ? 1 : 0, alarm.State, alarm.StateReason, alarm.StateReasonData,
        updated = alarm.StateUpdated.ToUnixTimeMilliseconds(), transitioned = alarm.StateTransitioned.ToUnixTimeMilliseconds(), config = alarm.ConfigUpdated.ToUnixTimeMilliseconds(), alarm.Tags,
    };

    private sealed class AlarmRow
    {
        public string AccountId { get; init; } = "";

        public string Region { get; init; } = "";

        public string Name { get; init; } = "";

        public string Definition { get; init; } = "";

        public long ActionsEnabled { get; init; }

        public string State { get; init; } = "";

        public string StateReason { get; init; } = "";

        public string? StateReasonData { get; init; }

        public long StateUpdated { get; init; }

        public long StateTransitioned { get; init; }

        public long ConfigUpdated { get; init; }

        public string Tags { get; init; } = "";

        public MetricAlarmRecord ToRecord() => new(
            AccountId, Region, Name, Definition, ActionsEnabled != 0, State, StateReason, StateReasonData,
            DateTimeOffset.FromUnixTimeMilliseconds(StateUpdated), DateTimeOffset.FromUnixTimeMilliseconds(StateTransitioned), DateTimeOffset.FromUnixTimeMilliseconds(ConfigUpdated), Tags);
    }

    private sealed class HistoryRow
    {
        public string AccountId { get; init; } = "";

        public string Region { get; init; } = "";

        public string AlarmName { get; init; } = "";

        public long At { get; init; }

        public string Id { get; init; } = "";

        public string ItemType { get; init; } = "";

        public string Summary { get; init; } = "";

        public string Data { get; init; } = "";

        public AlarmHistoryRecord ToRecord() => new(AccountId, Region, AlarmName, DateTimeOffset.FromUnixTimeMilliseconds(At), Id, ItemType, Summary, Data);
    }
}
