namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    // Metering and costs number their migrations 1300-1399.
    private static (int Version, string Name, string Sql)[] Metering { get; } =
    [
        // One row per account, region, service, usage type, resource tags and hour: what the request
        // path counted (added to by every node's flush) and what the hourly roll-up measured (stored
        // sizes, keys, metrics: set once per hour). Quantities are in the unit the price list prices
        // (GB-Mo, GB, requests, key-months), so a cost is quantity times price.
        (1300, "metered usage per hour", """
            CREATE TABLE usage_hourly (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                service TEXT NOT NULL,
                usage_type TEXT NOT NULL,
                tags TEXT NOT NULL,
                hour BIGINT NOT NULL,
                quantity DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (account_id, region, service, usage_type, tags, hour)
            );
            CREATE INDEX usage_hourly_time ON usage_hourly (hour, account_id);
            """),
    ];
}
