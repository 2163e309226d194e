using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>One log file of one trail: the events it holds (fixed when it is claimed), its key, and once written its SHA-256.</summary>
public sealed record CloudTrailBatch(
    string BatchId,
    string TrailArn,
    string AccountId,
    string Region,
    string Bucket,
    string ObjectKey,
    IReadOnlyList<string> EventIds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    string? Sha256,
    DateTimeOffset OldestEvent,
    DateTimeOffset NewestEvent);

/// <summary>A delivered digest file: the chain's link to the next one.</summary>
public sealed record CloudTrailDigest(string TrailArn, string AccountId, string Region, DateTimeOffset EndTime, string Bucket, string ObjectKey, string Signature, string Sha256);

/// <summary>A region's digest signing key: the private key sealed with the master key, the public key (DER, PKCS#1) in base64.</summary>
public sealed record CloudTrailSigningKey(string Region, string Fingerprint, string SealedPrivateKey, string PublicKey, DateTimeOffset ValidFrom);

/// <summary>The stored batches a delivery pass took (<see cref="CloudTrailRepository.ClaimAsync"/> takes them off the list) and their events.</summary>
/// <param name="StoredIds">The stored batches taken.</param>
/// <param name="Events">Their events, in time order.</param>
/// <param name="More">Stored batches were left for another read (the event limit, or the batches read at once, was reached).</param>
public sealed record CloudTrailPending(IReadOnlyList<string> StoredIds, IReadOnlyList<CloudTrailEventRow> Events, bool More);

/// <summary>
/// Delivery's state: stored batches of events not yet looked at by the delivery job (<c>cloudtrail_stored</c>), the log files
/// claimed from them (a batch's events and key are fixed in the same transaction that takes the
/// stored batches off the pending list, so writing it again after a crash writes the same object: exactly
/// once), digests, and signing keys.
/// </summary>
public sealed partial class CloudTrailRepository
{
    /// <summary>At most this many stored batches are read at once, whatever their events number.</summary>
    private const int StoredBatchesPerRead = 64;

    private const string BatchColumns =
        "batch_id AS BatchId, trail_arn AS TrailArn, account_id AS AccountId, region AS Region, bucket AS Bucket, object_key AS ObjectKey, event_ids AS EventIds, " +
        "created_at AS CreatedAt, delivered_at AS DeliveredAt, sha256 AS Sha256, oldest_event AS OldestEvent, newest_event AS NewestEvent";

    /// <summary>
    /// The oldest stored batches no delivery pass has looked at whose events are all at or before
    /// <paramref name="until"/>, taken whole until they hold at least <paramref name="limit"/> events;
    /// their events in time order. An event expired since it was stored is left out.
    /// </summary>
    public async Task<CloudTrailPending> PendingEventsAsync(DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var storedIds = new List<string>();
        var keys = new List<(string AccountId, string EventId)>();
        var more = false;
        await using (var batches = Command(connection, null, "SELECT stored_id, event_keys FROM cloudtrail_stored WHERE newest_event <= @until ORDER BY newest_event, stored_id LIMIT @rows", "until", "rows"))
        {
            Bind(batches, until.ToUnixTimeMilliseconds(), StoredBatchesPerRead);
            await using var reader = await batches.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (keys.Count >= limit)
                {
                    more = true;
                    break;
                }

                storedIds.Add(reader.GetString(0));
                foreach (var pair in reader.GetString(1).Split(','))
                {
                    var colon = pair.IndexOf(':', StringComparison.Ordinal);
                    keys.Add((pair[..colon], pair[(colon + 1)..]));
                }
            }

            more |= storedIds.Count == StoredBatchesPerRead;
        }

        var events = new List<CloudTrailEventRow>(keys.Count);
        await using var row = Command(connection, null, "SELECT " + EventColumns + " FROM cloudtrail_events WHERE account_id = @account AND event_id = @id", "account", "id");
        await using var resources = Command(connection, null, "SELECT resource_type, resource_name FROM cloudtrail_event_resources WHERE account_id = @account AND event_id = @id", "account", "id");
        foreach (var (accountId, eventId) in keys)
        {
            Bind(row, accountId, eventId);
            CloudTrailEventRow? found = null;
            await using (var reader = await row.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    found = ReadEvent(reader);
                }
            }

            if (found is null)
            {
                continue;
            }

            Bind(resources, accountId, eventId);
            var named = new List<(string Type, string Name)>();
            await using (var reader = await resources.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    named.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            events.Add(found with { Resources = named });
        }

        events.Sort(static (x, y) =>
        {
            var byTime = x.EventTime.CompareTo(y.EventTime);
            var byAccount = byTime != 0 ? byTime : string.CompareOrdinal(x.AccountId, y.AccountId);
            return byAccount != 0 ? byAccount : string.CompareOrdinal(x.EventId, y.EventId);
        });
        return new CloudTrailPending(storedIds, events, more);
    }

    /// <summary>Whether a stored batch waits for delivery to look at it (read only).</summary>
    public async Task<bool> HasPendingAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<long?>("SELECT 1 FROM cloudtrail_stored WHERE newest_event <= @until LIMIT 1", new { until = until.ToUnixTimeMilliseconds() }) is not null;
    }

    /// <summary>In one transaction: the new log files, and the stored batches their events came from off the pending list.</summary>
    public Task ClaimAsync(IReadOnlyList<CloudTrailBatch> batches, IReadOnlyList<string> storedIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(storedIds);
        return store.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var b in batches)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO cloudtrail_batches (batch_id, trail_arn, account_id, region, bucket, object_key, event_ids, created_at, delivered_at, sha256, oldest_event, newest_event) " +
                        "VALUES (@BatchId, @TrailArn, @AccountId, @Region, @Bucket, @ObjectKey, @ids, @created, NULL, NULL, @oldest, @newest)",
                        new { b.BatchId, b.TrailArn, b.AccountId, b.Region, b.Bucket, b.ObjectKey, ids = string.Join(',', b.EventIds), created = b.CreatedAt.ToUnixTimeMilliseconds(), oldest = b.OldestEvent.ToUnixTimeMilliseconds(), newest = b.NewestEvent.ToUnixTimeMilliseconds() },
                        transaction);
                }

                foreach (var storedId in storedIds)
                {
                    await connection.ExecuteAsync("DELETE FROM cloudtrail_stored WHERE stored_id = @storedId", new { storedId }, transaction);
                }

                return true;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<CloudTrailBatch>> OpenBatchesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BatchRow>("SELECT " + BatchColumns + " FROM cloudtrail_batches WHERE delivered_at IS NULL ORDER BY created_at, batch_id LIMIT @limit", new { limit });
        return [.. rows.Select(r => r.ToBatch())];
    }

    /// <summary>The records of one account's events, in the order given (one command, reused for each).</summary>
    public async Task<IReadOnlyList<string>> RecordsAsync(string accountId, IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT record FROM cloudtrail_events WHERE account_id = @account AND event_id = @id", "account", "id");
        var records = new List<string>(eventIds.Count);
        foreach (var eventId in eventIds)
        {
            Bind(command, accountId, eventId);
            if (await command.ExecuteScalarAsync(cancellationToken) is string record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    public Task MarkDeliveredAsync(string batchId, string sha256, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                "UPDATE cloudtrail_batches SET delivered_at = @at, sha256 = @sha256 WHERE batch_id = @batchId AND delivered_at IS NULL",
                new { batchId, sha256, at = at.ToUnixTimeMilliseconds() }, transaction) > 0,
            cancellationToken);

    /// <summary>Points a claimed, undelivered file at the trail's current bucket and key (after UpdateTrail changed them).</summary>
    public Task RetargetAsync(string batchId, string bucket, string objectKey, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                "UPDATE cloudtrail_batches SET bucket = @bucket, object_key = @objectKey WHERE batch_id = @batchId AND delivered_at IS NULL",
                new { batchId, bucket, objectKey }, transaction) > 0,
            cancellationToken);

    /// <summary>Forgets a claimed file that was never delivered (its events are past the history CloudTrail keeps).</summary>
    public Task AbandonAsync(string batchId, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                "DELETE FROM cloudtrail_batches WHERE batch_id = @batchId AND delivered_at IS NULL", new { batchId }, transaction) > 0,
            cancellationToken);

    /// <summary>The log files of a trail, account and region delivered in [from, until), for a digest.</summary>
    public async Task<IReadOnlyList<CloudTrailBatch>> DeliveredAsync(string trailArn, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BatchRow>(
            "SELECT " + BatchColumns + " FROM cloudtrail_batches WHERE trail_arn = @trailArn AND delivered_at >= @from AND delivered_at < @until ORDER BY delivered_at, batch_id",
            new { trailArn, from = from.ToUnixTimeMilliseconds(), until = until.ToUnixTimeMilliseconds() });
        return [.. rows.Select(r => r.ToBatch())];
    }

    public async Task<CloudTrailDigest?> LastDigestAsync(string trailArn, string accountId, string region, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<(string TrailArn, string AccountId, string Region, long EndTime, string Bucket, string ObjectKey, string Signature, string Sha256)?>(
            "SELECT trail_arn, account_id, region, end_time, bucket, object_key, signature, sha256 FROM cloudtrail_digests WHERE trail_arn = @trailArn AND account_id = @accountId AND region = @region ORDER BY end_time DESC LIMIT 1",
            new { trailArn, accountId, region });
        return row is { } r ? new CloudTrailDigest(r.TrailArn, r.AccountId, r.Region, DateTimeOffset.FromUnixTimeMilliseconds(r.EndTime), r.Bucket, r.ObjectKey, r.Signature, r.Sha256) : null;
    }

    /// <summary>Records a digest; false when that hour's digest is already recorded (a pass cut short wrote it).</summary>
    public async Task<bool> AddDigestAsync(CloudTrailDigest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digest);
        try
        {
            return await store.InTransactionAsync(
                async (connection, transaction) => await connection.ExecuteAsync(
                    "INSERT INTO cloudtrail_digests (trail_arn, account_id, region, end_time, bucket, object_key, signature, sha256) VALUES (@TrailArn, @AccountId, @Region, @end, @Bucket, @ObjectKey, @Signature, @Sha256)",
                    new { digest.TrailArn, digest.AccountId, digest.Region, end = digest.EndTime.ToUnixTimeMilliseconds(), digest.Bucket, digest.ObjectKey, digest.Signature, digest.Sha256 }, transaction) > 0,
                cancellationToken);
        }
        catch (Exception e) when (store.IsUniqueViolation(e))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<CloudTrailSigningKey>> SigningKeysAsync(string region, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Region, string Fingerprint, string SealedPrivateKey, string PublicKey, long ValidFrom)>(
            "SELECT region, fingerprint, sealed_private_key, public_key, valid_from FROM cloudtrail_signing_keys WHERE region = @region ORDER BY valid_from", new { region });
        return [.. rows.Select(r => new CloudTrailSigningKey(r.Region, r.Fingerprint, r.SealedPrivateKey, r.PublicKey, DateTimeOffset.FromUnixTimeMilliseconds(r.ValidFrom)))];
    }

    /// <summary>Adds a region's first signing key; false when another node added one first.</summary>
    public async Task<bool> AddSigningKeyAsync(CloudTrailSigningKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return await store.InTransactionAsync(
                async (connection, transaction) =>
                {
                    if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cloudtrail_signing_keys WHERE region = @Region", new { key.Region }, transaction) > 0)
                    {
                        return false;
                    }

                    await connection.ExecuteAsync(
                        "INSERT INTO cloudtrail_signing_keys (region, fingerprint, sealed_private_key, public_key, valid_from) VALUES (@Region, @Fingerprint, @SealedPrivateKey, @PublicKey, @from)",
                        new { key.Region, key.Fingerprint, key.SealedPrivateKey, key.PublicKey, from = key.ValidFrom.ToUnixTimeMilliseconds() }, transaction);
                    return true;
                },
                cancellationToken);
        }
        catch (Exception e) when (store.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>Replaces a trail's document only if it is still <paramref name="expected"/> (what the caller read); false otherwise.</summary>
    public Task<bool> UpdateTrailDocumentAsync(string arn, string expected, string document, CancellationToken cancellationToken) =>
        store.InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync(
                "UPDATE cloudtrail_trails SET document = @document WHERE arn = @arn AND document = @expected", new { arn, expected, document }, transaction) > 0,
            cancellationToken);

    private sealed record BatchRow(string BatchId, string TrailArn, string AccountId, string Region, string Bucket, string ObjectKey, string EventIds, long CreatedAt, long? DeliveredAt, string? Sha256, long OldestEvent, long NewestEvent)
    {
        public CloudTrailBatch ToBatch() => new(
            BatchId, TrailArn, AccountId, Region, Bucket, ObjectKey, EventIds.Split(',', StringSplitOptions.RemoveEmptyEntries),
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DeliveredAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null, Sha256,
            DateTimeOffset.FromUnixTimeMilliseconds(OldestEvent), DateTimeOffset.FromUnixTimeMilliseconds(NewestEvent));
    }
}
