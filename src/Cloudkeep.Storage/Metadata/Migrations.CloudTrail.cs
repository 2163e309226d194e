namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    private static (int Version, string Name, string Sql)[] CloudTrail { get; } =
    [
        (600, "cloudtrail events, their resources, and trails", """
            CREATE TABLE cloudtrail_events (
                event_id TEXT NOT NULL,
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                event_time BIGINT NOT NULL,
                event_name TEXT NOT NULL,
                event_source TEXT NOT NULL,
                username TEXT NULL,
                access_key_id TEXT NULL,
                read_only INTEGER NOT NULL,
                management INTEGER NOT NULL,
                record TEXT NOT NULL,
                pending INTEGER NOT NULL DEFAULT 1,
                PRIMARY KEY (account_id, event_id)
            );
            CREATE INDEX cloudtrail_events_time ON cloudtrail_events (account_id, region, event_time, event_id);
            CREATE TABLE cloudtrail_event_resources (
                account_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                resource_name TEXT NOT NULL
            );
            CREATE INDEX cloudtrail_event_resources_event ON cloudtrail_event_resources (account_id, event_id);
            CREATE TABLE cloudtrail_trails (
                arn TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                home_region TEXT NOT NULL,
                name TEXT NOT NULL,
                document TEXT NOT NULL,
                logging INTEGER NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX cloudtrail_trails_name ON cloudtrail_trails (account_id, home_region, name);
            """),
        (601, "cloudtrail delivery: log file batches, digests and signing keys", """
            CREATE INDEX cloudtrail_events_pending ON cloudtrail_events (event_time) WHERE pending = 1;
            CREATE TABLE cloudtrail_batches (
                batch_id TEXT PRIMARY KEY,
                trail_arn TEXT NOT NULL,
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                bucket TEXT NOT NULL,
                object_key TEXT NOT NULL,
                event_ids TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                delivered_at BIGINT NULL,
                sha256 TEXT NULL,
                oldest_event BIGINT NOT NULL,
                newest_event BIGINT NOT NULL
            );
            CREATE INDEX cloudtrail_batches_open ON cloudtrail_batches (created_at) WHERE delivered_at IS NULL;
            CREATE INDEX cloudtrail_batches_delivered ON cloudtrail_batches (trail_arn, account_id, region, delivered_at);
            CREATE TABLE cloudtrail_digests (
                trail_arn TEXT NOT NULL,
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                end_time BIGINT NOT NULL,
                bucket TEXT NOT NULL,
                object_key TEXT NOT NULL,
                signature TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                PRIMARY KEY (trail_arn, account_id, region, end_time)
            );
            CREATE TABLE cloudtrail_signing_keys (
                region TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                sealed_private_key TEXT NOT NULL,
                public_key TEXT NOT NULL,
                valid_from BIGINT NOT NULL,
                PRIMARY KEY (region, fingerprint)
            );
            """),
        (602, "cloudtrail: what delivery has yet to look at is one row per stored batch, not a flag and an index entry per event", """
            CREATE TABLE cloudtrail_stored (
                stored_id TEXT PRIMARY KEY,
                newest_event BIGINT NOT NULL,
                event_keys TEXT NOT NULL
            );
            CREATE INDEX cloudtrail_stored_newest ON cloudtrail_stored (newest_event);
            INSERT INTO cloudtrail_stored (stored_id, newest_event, event_keys)
                SELECT account_id || ':' || event_id, event_time, account_id || ':' || event_id FROM cloudtrail_events WHERE pending = 1;
            DROP INDEX cloudtrail_events_pending;
            ALTER TABLE cloudtrail_events DROP COLUMN pending;
            """),
    ];
}
