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
    ];
}
