namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    // CloudWatch Logs numbers its migrations 1100-1199.
    private static (int Version, string Name, string Sql)[] Logs { get; } =
    [
        // Events are rows keyed by their stream and an ingestion sequence, so reads in time order
        // and the retention job's deletes by age use one index each.
        (1100, "cloudwatch logs groups, streams and events", """
            CREATE TABLE logs_groups (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                retention_days INTEGER NULL,
                kms_key_id TEXT NULL,
                tags TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, region, name)
            );
            CREATE TABLE logs_streams (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                group_name TEXT NOT NULL,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                first_event BIGINT NULL,
                last_event BIGINT NULL,
                last_ingestion BIGINT NULL,
                stored_bytes BIGINT NOT NULL,
                PRIMARY KEY (account_id, region, group_name, name)
            );
            CREATE TABLE logs_events (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                group_name TEXT NOT NULL,
                stream_name TEXT NOT NULL,
                seq BIGINT NOT NULL,
                at BIGINT NOT NULL,
                ingested_at BIGINT NOT NULL,
                message TEXT NOT NULL,
                PRIMARY KEY (account_id, region, group_name, stream_name, seq)
            );
            CREATE INDEX logs_events_time ON logs_events (account_id, region, group_name, at, seq);
            """),
    ];
}
