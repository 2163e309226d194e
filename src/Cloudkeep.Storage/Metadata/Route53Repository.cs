using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>Route 53's hosted zones, their record sets, submitted changes and tags.</summary>
public sealed class Route53Repository
{
    private const string ZoneColumns =
        "zone_id AS ZoneId, account_id AS AccountId, name AS Name, caller_reference AS CallerReference, comment AS Comment, " +
        "private_zone AS PrivateZone, vpc_id AS VpcId, vpc_region AS VpcRegion, name_servers AS NameServers, created_at AS CreatedAt";

    private const string RecordColumns =
        "zone_id AS ZoneId, name AS Name, type AS Type, set_identifier AS SetIdentifier, weight AS Weight, ttl AS Ttl, record_values AS RecordValues";

    private readonly IMetadataStore _store;

    public Route53Repository(IMetadataStore store)
    {
        _store = store;
    }

    /// <summary>Creates a zone with its first record sets (SOA and NS); false when the account already used the caller reference.</summary>
    public async Task<bool> CreateZoneAsync(Route53ZoneRecord zone, IReadOnlyList<Route53RecordSet> recordSets, Route53ChangeRecord change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(recordSets);
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            return await _store.InTransactionAsync(
                async (connection, transaction) =>
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO route53_zones (zone_id, account_id, name, caller_reference, comment, private_zone, vpc_id, vpc_region, name_servers, created_at) " +
                        "VALUES (@ZoneId, @AccountId, @Name, @CallerReference, @Comment, @PrivateZone, @VpcId, @VpcRegion, @NameServers, @CreatedAt)",
                        new
                        {
                            zone.ZoneId,
                            zone.AccountId,
                            zone.Name,
                            zone.CallerReference,
                            zone.Comment,
                            PrivateZone = zone.PrivateZone ? 1 : 0,
                            zone.VpcId,
                            zone.VpcRegion,
                            NameServers = JsonSerializer.Serialize(zone.NameServers),
                            CreatedAt = zone.CreatedAt.ToUnixTimeMilliseconds(),
                        },
                        transaction);
                    foreach (var set in recordSets)
                    {
                        await InsertRecordSetAsync(connection, transaction, zone.ZoneId, set);
                    }

                    await InsertChangeAsync(connection, transaction, change);
                    return true;
                },
                cancellationToken);
        }
        catch (DbException e) when (_store.IsUniqueViolation(e))
        {
            return false;
        }
    }

    public async Task<Route53ZoneRecord?> GetZoneAsync(string zoneId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ZoneRow>($"SELECT {ZoneColumns} FROM route53_zones WHERE zone_id = @zoneId", new { zoneId });
        return row?.ToRecord();
    }

    public async Task<Route53ZoneRecord?> FindZoneByReferenceAsync(string accountId, string callerReference, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ZoneRow>(
            $"SELECT {ZoneColumns} FROM route53_zones WHERE account_id = @accountId AND caller_reference = @callerReference", new { accountId, callerReference });
        return row?.ToRecord();
    }

    /// <summary>The account's zones, or every account's when <paramref name="accountId"/> is null (the DNS listener's view).</summary>
    public async Task<IReadOnlyList<Route53ZoneRecord>> ListZonesAsync(string? accountId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = accountId is null
            ? await connection.QueryAsync<ZoneRow>($"SELECT {ZoneColumns} FROM route53_zones ORDER BY created_at, zone_id")
            : await connection.QueryAsync<ZoneRow>($"SELECT {ZoneColumns} FROM route53_zones WHERE account_id = @accountId ORDER BY created_at, zone_id", new { accountId });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>How many record sets each zone holds.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountRecordSetsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string ZoneId, long Count)>("SELECT zone_id, COUNT(*) FROM route53_record_sets GROUP BY zone_id");
        return rows.ToDictionary(r => r.ZoneId, r => r.Count, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<Route53RecordSet>> GetRecordSetsAsync(string zoneId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RecordRow>($"SELECT {RecordColumns} FROM route53_record_sets WHERE zone_id = @zoneId", new { zoneId });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Every public zone's record sets, by zone id: what the DNS listener answers from.</summary>
    public async Task<IReadOnlyDictionary<string, List<Route53RecordSet>>> GetPublicRecordSetsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RecordRow>(
            $"SELECT {RecordColumns} FROM route53_record_sets WHERE zone_id IN (SELECT zone_id FROM route53_zones WHERE private_zone = 0)");
        var result = new Dictionary<string, List<Route53RecordSet>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!result.TryGetValue(row.ZoneId, out var list))
            {
                result[row.ZoneId] = list = [];
            }

            list.Add(row.ToRecord());
        }

        return result;
    }

    /// <summary>
    /// Applies a change batch in one transaction: <paramref name="plan"/> sees the zone's record sets
    /// as they are inside it and answers the changes to make, or throws to make none.
    /// </summary>
    public Task ApplyChangesAsync(
        string zoneId,
        Func<IReadOnlyList<Route53RecordSet>, IReadOnlyList<Route53RecordChange>> plan,
        Route53ChangeRecord change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(change);
        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var rows = await connection.QueryAsync<RecordRow>(
                    $"SELECT {RecordColumns} FROM route53_record_sets WHERE zone_id = @zoneId", new { zoneId }, transaction);
                var changes = plan([.. rows.Select(r => r.ToRecord())]);

                // Deletes first: an UPSERT is a delete of the old set and an insert of the new one.
                foreach (var item in changes.Where(c => c.Delete))
                {
                    await connection.ExecuteAsync(
                        "DELETE FROM route53_record_sets WHERE zone_id = @zoneId AND name = @Name AND type = @Type AND set_identifier = @SetIdentifier",
                        new { zoneId, item.RecordSet.Name, item.RecordSet.Type, item.RecordSet.SetIdentifier },
                        transaction);
                }

                foreach (var item in changes.Where(c => !c.Delete))
                {
                    await InsertRecordSetAsync(connection, transaction, zoneId, item.RecordSet);
                }

                await InsertChangeAsync(connection, transaction, change);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Deletes a zone when <paramref name="deletable"/> says its record sets allow it (only its SOA and apex NS); false otherwise.</summary>
    public Task<bool> DeleteZoneAsync(string zoneId, Func<IReadOnlyList<Route53RecordSet>, bool> deletable, Route53ChangeRecord change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletable);
        ArgumentNullException.ThrowIfNull(change);
        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                var rows = await connection.QueryAsync<RecordRow>(
                    $"SELECT {RecordColumns} FROM route53_record_sets WHERE zone_id = @zoneId", new { zoneId }, transaction);
                if (!deletable([.. rows.Select(r => r.ToRecord())]))
                {
                    return false;
                }

                await connection.ExecuteAsync("DELETE FROM route53_tags WHERE zone_id = @zoneId", new { zoneId }, transaction);
                await connection.ExecuteAsync("DELETE FROM route53_record_sets WHERE zone_id = @zoneId", new { zoneId }, transaction);
                await connection.ExecuteAsync("DELETE FROM route53_zones WHERE zone_id = @zoneId", new { zoneId }, transaction);
                await InsertChangeAsync(connection, transaction, change);
                return true;
            },
            cancellationToken);
    }

    public async Task<Route53ChangeRecord?> GetChangeAsync(string changeId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ChangeRow>(
            "SELECT change_id AS ChangeId, account_id AS AccountId, comment AS Comment, submitted_at AS SubmittedAt FROM route53_changes WHERE change_id = @changeId",
            new { changeId });
        return row is null ? null : new Route53ChangeRecord(row.ChangeId, row.AccountId, row.Comment, DateTimeOffset.FromUnixTimeMilliseconds(row.SubmittedAt));
    }

    public async Task<IReadOnlyList<KeyValuePair<string, string>>> GetTagsAsync(string zoneId, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, string Value)>(
            "SELECT tag_key, tag_value FROM route53_tags WHERE zone_id = @zoneId ORDER BY tag_key", new { zoneId });
        return [.. rows.Select(r => new KeyValuePair<string, string>(r.Key, r.Value))];
    }

    /// <summary>Adds or replaces <paramref name="add"/> and removes <paramref name="remove"/>, together; <paramref name="check"/> sees the resulting keys and may throw to change nothing.</summary>
    public Task ChangeTagsAsync(string zoneId, IReadOnlyList<KeyValuePair<string, string>> add, IReadOnlyList<string> remove, Action<IReadOnlyCollection<string>> check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        ArgumentNullException.ThrowIfNull(check);
        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var key in remove)
                {
                    await connection.ExecuteAsync("DELETE FROM route53_tags WHERE zone_id = @zoneId AND tag_key = @key", new { zoneId, key }, transaction);
                }

                foreach (var (key, value) in add)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO route53_tags (zone_id, tag_key, tag_value) VALUES (@zoneId, @key, @value) ON CONFLICT (zone_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
                        new { zoneId, key, value },
                        transaction);
                }

                var keys = await connection.QueryAsync<string>("SELECT tag_key FROM route53_tags WHERE zone_id = @zoneId", new { zoneId }, transaction);
                check([.. keys]);
                return true;
            },
            cancellationToken);
    }

    private static Task<int> InsertRecordSetAsync(DbConnection connection, DbTransaction transaction, string zoneId, Route53RecordSet set) =>
        connection.ExecuteAsync(
            "INSERT INTO route53_record_sets (zone_id, name, type, set_identifier, weight, ttl, record_values) VALUES (@zoneId, @Name, @Type, @SetIdentifier, @Weight, @Ttl, @Values)",
            new { zoneId, set.Name, set.Type, set.SetIdentifier, set.Weight, set.Ttl, Values = JsonSerializer.Serialize(set.Values) },
            transaction);

    private static Task<int> InsertChangeAsync(DbConnection connection, DbTransaction transaction, Route53ChangeRecord change) =>
        connection.ExecuteAsync(
            "INSERT INTO route53_changes (change_id, account_id, comment, submitted_at) VALUES (@ChangeId, @AccountId, @Comment, @SubmittedAt)",
            new { change.ChangeId, change.AccountId, change.Comment, SubmittedAt = change.SubmittedAt.ToUnixTimeMilliseconds() },
            transaction);

    private sealed class ZoneRow
    {
        public string ZoneId { get; set; } = "";

        public string AccountId { get; set; } = "";

        public string Name { get; set; } = "";

        public string CallerReference { get; set; } = "";

        public string? Comment { get; set; }

        public long PrivateZone { get; set; }

        public string? VpcId { get; set; }

        public string? VpcRegion { get; set; }

        public string NameServers { get; set; } = "[]";

        public long CreatedAt { get; set; }

        public Route53ZoneRecord ToRecord() => new(
            ZoneId,
            AccountId,
            Name,
            CallerReference,
            Comment,
            PrivateZone != 0,
            VpcId,
            VpcRegion,
            JsonSerializer.Deserialize<List<string>>(NameServers) ?? [],
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    private sealed class RecordRow
    {
        public string ZoneId { get; set; } = "";

        public string Name { get; set; } = "";

        public string Type { get; set; } = "";

        public string SetIdentifier { get; set; } = "";

        public long? Weight { get; set; }

        public long Ttl { get; set; }

        public string RecordValues { get; set; } = "[]";

        public Route53RecordSet ToRecord() =>
            new(Name, Type, SetIdentifier, Weight, Ttl, JsonSerializer.Deserialize<List<string>>(RecordValues) ?? []);
    }

    private sealed class ChangeRow
    {
        public string ChangeId { get; set; } = "";

        public string AccountId { get; set; } = "";

        public string? Comment { get; set; }

        public long SubmittedAt { get; set; }
    }
}
