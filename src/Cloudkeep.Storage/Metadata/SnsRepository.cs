using System.Data.Common;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>SNS's topics, subscriptions and the queue of deliveries owed to subscriptions.</summary>
public sealed class SnsRepository
{
    private const string TopicColumns =
        "arn AS Arn, account_id AS AccountId, region AS Region, name AS Name, attributes AS Attributes, tags AS Tags, created_at AS CreatedAt";

    private const string SubscriptionColumns =
        "arn AS Arn, topic_arn AS TopicArn, owner AS Owner, region AS Region, protocol AS Protocol, endpoint AS Endpoint, attributes AS Attributes, " +
        "confirmed AS Confirmed, token_hash AS TokenHash, token_expires_at AS TokenExpiresAt, created_at AS CreatedAt";

    private const string DeliveryColumns =
        "id AS Id, subscription_arn AS SubscriptionArn, message AS Message, attempts AS Attempts, next_at AS NextAt, created_at AS CreatedAt";

    private readonly IMetadataStore _store;

    public SnsRepository(IMetadataStore store)
    {
        _store = store;
    }

    /// <summary>Stores a new topic; false when its ARN exists already.</summary>
    public async Task<bool> InsertTopicAsync(SnsTopicRecord topic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "INSERT INTO sns_topics (arn, account_id, region, name, attributes, tags, created_at) " +
            "VALUES (@Arn, @AccountId, @Region, @Name, @Attributes, @Tags, @at) ON CONFLICT (arn) DO NOTHING",
            new { topic.Arn, topic.AccountId, topic.Region, topic.Name, topic.Attributes, topic.Tags, at = topic.CreatedAt.ToUnixTimeMilliseconds() }) == 1;
    }

    public async Task<SnsTopicRecord?> GetTopicAsync(string arn, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TopicRow>($"SELECT {TopicColumns} FROM sns_topics WHERE arn = @arn", new { arn });
        return row?.ToRecord();
    }

    /// <summary>Replaces a topic's attributes and tags; false when the topic is gone.</summary>
    public async Task<bool> UpdateTopicAsync(string arn, string attributes, string tags, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE sns_topics SET attributes = @attributes, tags = @tags WHERE arn = @arn", new { arn, attributes, tags }) == 1;
    }

    /// <summary>Deletes a topic with its subscriptions and whatever was still owed to them.</summary>
    public Task DeleteTopicAsync(string arn, CancellationToken cancellationToken) =>
        _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(
                    "DELETE FROM sns_deliveries WHERE subscription_arn IN (SELECT arn FROM sns_subscriptions WHERE topic_arn = @arn)", new { arn }, transaction);
                await connection.ExecuteAsync("DELETE FROM sns_subscriptions WHERE topic_arn = @arn", new { arn }, transaction);
                return await connection.ExecuteAsync("DELETE FROM sns_topics WHERE arn = @arn", new { arn }, transaction);
            },
            cancellationToken);

    /// <summary>An account's topics in a region in ARN order, after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<SnsTopicRecord>> ListTopicsAsync(string accountId, string region, string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TopicRow>(
            $"SELECT {TopicColumns} FROM sns_topics WHERE account_id = @accountId AND region = @region AND arn > @after ORDER BY arn LIMIT @limit",
            new { accountId, region, after, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task InsertSubscriptionAsync(SnsSubscriptionRecord subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO sns_subscriptions (arn, topic_arn, owner, region, protocol, endpoint, attributes, confirmed, token_hash, token_expires_at, created_at) " +
            "VALUES (@Arn, @TopicArn, @Owner, @Region, @Protocol, @Endpoint, @Attributes, @confirmed, @TokenHash, @expires, @at)",
            new
            {
                subscription.Arn,
                subscription.TopicArn,
                subscription.Owner,
                subscription.Region,
                subscription.Protocol,
                subscription.Endpoint,
                subscription.Attributes,
                confirmed = subscription.Confirmed ? 1 : 0,
                subscription.TokenHash,
                expires = subscription.TokenExpiresAt?.ToUnixTimeMilliseconds(),
                at = subscription.CreatedAt.ToUnixTimeMilliseconds(),
            });
    }

    public async Task<SnsSubscriptionRecord?> GetSubscriptionAsync(string arn, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>($"SELECT {SubscriptionColumns} FROM sns_subscriptions WHERE arn = @arn", new { arn });
        return row?.ToRecord();
    }

    /// <summary>The topic's subscription to this endpoint over this protocol, if any (Subscribe is idempotent on them).</summary>
    public async Task<SnsSubscriptionRecord?> FindSubscriptionAsync(string topicArn, string protocol, string endpoint, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM sns_subscriptions WHERE topic_arn = @topicArn AND protocol = @protocol AND endpoint = @endpoint",
            new { topicArn, protocol, endpoint });
        return row?.ToRecord();
    }

    /// <summary>The topic's subscription whose confirmation token hashes to <paramref name="tokenHash"/>.</summary>
    public async Task<SnsSubscriptionRecord?> FindByTokenAsync(string topicArn, string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM sns_subscriptions WHERE topic_arn = @topicArn AND token_hash = @tokenHash", new { topicArn, tokenHash });
        return row?.ToRecord();
    }

    /// <summary>Rewrites a subscription's attributes, confirmation and token; false when it is gone.</summary>
    public async Task<bool> UpdateSubscriptionAsync(SnsSubscriptionRecord subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE sns_subscriptions SET attributes = @Attributes, confirmed = @confirmed, token_hash = @TokenHash, token_expires_at = @expires WHERE arn = @Arn",
            new
            {
                subscription.Arn,
                subscription.Attributes,
                confirmed = subscription.Confirmed ? 1 : 0,
                subscription.TokenHash,
                expires = subscription.TokenExpiresAt?.ToUnixTimeMilliseconds(),
            }) == 1;
    }

    /// <summary>Deletes a subscription and what was still owed to it; false when it was gone.</summary>
    public Task<bool> DeleteSubscriptionAsync(string arn, CancellationToken cancellationToken) =>
        _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync("DELETE FROM sns_deliveries WHERE subscription_arn = @arn", new { arn }, transaction);
                return await connection.ExecuteAsync("DELETE FROM sns_subscriptions WHERE arn = @arn", new { arn }, transaction) == 1;
            },
            cancellationToken);

    /// <summary>An owner's subscriptions in a region, in ARN order after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<SnsSubscriptionRecord>> ListSubscriptionsAsync(string owner, string region, string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM sns_subscriptions WHERE owner = @owner AND region = @region AND arn > @after ORDER BY arn LIMIT @limit",
            new { owner, region, after, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>A topic's subscriptions in ARN order after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<SnsSubscriptionRecord>> SubscriptionsOfTopicAsync(string topicArn, string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM sns_subscriptions WHERE topic_arn = @topicArn AND arn > @after ORDER BY arn LIMIT @limit",
            new { topicArn, after, limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Queues deliveries in one transaction: a publish is acknowledged only once all its deliveries are stored.</summary>
    public Task EnqueueAsync(IReadOnlyList<SnsDeliveryRecord> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        if (deliveries.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _store.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var d in deliveries)
                {
                    await InsertDeliveryAsync(connection, transaction, d);
                }

                return 0;
            },
            cancellationToken);
    }

    private static Task<int> InsertDeliveryAsync(DbConnection connection, DbTransaction transaction, SnsDeliveryRecord d) =>
        connection.ExecuteAsync(
            "INSERT INTO sns_deliveries (id, subscription_arn, message, attempts, next_at, created_at) VALUES (@Id, @SubscriptionArn, @Message, @Attempts, @next, @at)",
            new { d.Id, d.SubscriptionArn, d.Message, d.Attempts, next = d.NextAt.ToUnixTimeMilliseconds(), at = d.CreatedAt.ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>Deliveries due by <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<SnsDeliveryRecord>> DueDeliveriesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeliveryRow>(
            $"SELECT {DeliveryColumns} FROM sns_deliveries WHERE next_at <= @now ORDER BY next_at, created_at LIMIT @limit",
            new { now = now.ToUnixTimeMilliseconds(), limit });
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Whether any delivery is due (a read, so an idle server writes nothing to find out).</summary>
    public async Task<bool> AnyDeliveryDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM sns_deliveries WHERE next_at <= @now LIMIT 1) x", new { now = now.ToUnixTimeMilliseconds() }) > 0;
    }

    public async Task PostponeDeliveryAsync(string id, DateTimeOffset nextAt, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE sns_deliveries SET attempts = attempts + 1, next_at = @next WHERE id = @id", new { id, next = nextAt.ToUnixTimeMilliseconds() });
    }

    /// <summary>Takes a delivery off the queue: delivered, or given up after its retries.</summary>
    public async Task FinishDeliveryAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM sns_deliveries WHERE id = @id", new { id });
    }

    private sealed class TopicRow
    {
        public string Arn { get; set; } = "";

        public string AccountId { get; set; } = "";

        public string Region { get; set; } = "";

        public string Name { get; set; } = "";

        public string Attributes { get; set; } = "{}";

        public string Tags { get; set; } = "{}";

        public long CreatedAt { get; set; }

        public SnsTopicRecord ToRecord() => new(Arn, AccountId, Region, Name, Attributes, Tags, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    private sealed class SubscriptionRow
    {
        public string Arn { get; set; } = "";

        public string TopicArn { get; set; } = "";

        public string Owner { get; set; } = "";

        public string Region { get; set; } = "";

        public string Protocol { get; set; } = "";

        public string Endpoint { get; set; } = "";

        public string Attributes { get; set; } = "{}";

        public long Confirmed { get; set; }

        public string? TokenHash { get; set; }

        public long? TokenExpiresAt { get; set; }

        public long CreatedAt { get; set; }

        public SnsSubscriptionRecord ToRecord() => new(
            Arn, TopicArn, Owner, Region, Protocol, Endpoint, Attributes, Confirmed != 0, TokenHash,
            TokenExpiresAt is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    private sealed class DeliveryRow
    {
        public string Id { get; set; } = "";

        public string SubscriptionArn { get; set; } = "";

        public string Message { get; set; } = "";

        public long Attempts { get; set; }

        public long NextAt { get; set; }

        public long CreatedAt { get; set; }

        public SnsDeliveryRecord ToRecord() => new(
            Id, SubscriptionArn, Message, (int)Attempts, DateTimeOffset.FromUnixTimeMilliseconds(NextAt), DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }
}
