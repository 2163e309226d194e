namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    // SNS numbers its migrations 1000-1099.
    private static (int Version, string Name, string Sql)[] Sns { get; } =
    [
        // A topic's settable attributes and tags are small JSON documents; ARNs are the keys because
        // every SNS call names a topic or subscription by its ARN. A delivery is one message for one
        // subscription, queued in the publish's transaction and removed when delivered or given up,
        // so a restart between publish and delivery delivers it.
        (1000, "sns topics, subscriptions and the delivery queue", """
            CREATE TABLE sns_topics (
                arn TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                attributes TEXT NOT NULL,
                tags TEXT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX sns_topics_owner ON sns_topics (account_id, region, arn);
            CREATE TABLE sns_subscriptions (
                arn TEXT PRIMARY KEY,
                topic_arn TEXT NOT NULL,
                owner TEXT NOT NULL,
                region TEXT NOT NULL,
                protocol TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                attributes TEXT NOT NULL,
                confirmed INTEGER NOT NULL,
                token_hash TEXT NULL,
                token_expires_at BIGINT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn, arn);
            CREATE INDEX sns_subscriptions_owner ON sns_subscriptions (owner, region, arn);
            CREATE TABLE sns_deliveries (
                id TEXT PRIMARY KEY,
                subscription_arn TEXT NOT NULL,
                message TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX sns_deliveries_due ON sns_deliveries (next_at);
            """),
    ];
}
