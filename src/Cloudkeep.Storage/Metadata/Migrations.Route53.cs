namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    private static (int Version, string Name, string Sql)[] Route53 { get; } =
    [
        (500, "route 53 hosted zones, record sets, changes and tags", """
            CREATE TABLE route53_zones (
                zone_id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                name TEXT NOT NULL,
                caller_reference TEXT NOT NULL,
                comment TEXT NULL,
                private_zone INTEGER NOT NULL,
                vpc_id TEXT NULL,
                vpc_region TEXT NULL,
                name_servers TEXT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX route53_zones_reference ON route53_zones (account_id, caller_reference);
            CREATE INDEX route53_zones_name ON route53_zones (name);
            CREATE TABLE route53_record_sets (
                zone_id TEXT NOT NULL REFERENCES route53_zones (zone_id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                set_identifier TEXT NOT NULL,
                weight BIGINT NULL,
                ttl BIGINT NOT NULL,
                record_values TEXT NOT NULL,
                PRIMARY KEY (zone_id, name, type, set_identifier)
            );
            CREATE TABLE route53_changes (
                change_id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                comment TEXT NULL,
                submitted_at BIGINT NOT NULL
            );
            CREATE TABLE route53_tags (
                zone_id TEXT NOT NULL REFERENCES route53_zones (zone_id) ON DELETE CASCADE,
                tag_key TEXT NOT NULL,
                tag_value TEXT NOT NULL,
                PRIMARY KEY (zone_id, tag_key)
            );
            """),
    ];
}
