namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    // CloudWatch (metrics and alarms) numbers its migrations 1200-1299.
    private static (int Version, string Name, string Sql)[] CloudWatch { get; } =
    [
        // A metric is its account, region, namespace, name and dimensions, keyed by a hash of them
        // (thirty dimensions of 1 KiB values do not fit a PostgreSQL index entry). Its data points
        // are aggregates per period start at the resolution they are kept at (1 s high-resolution,
        // 60 s, 300 s, 3600 s), merged as they arrive and rolled up as they age, as CloudWatch keeps them.
        (1200, "cloudwatch metrics, data points, alarms and alarm history", """
            CREATE TABLE cloudwatch_metrics (
                metric_key TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                namespace TEXT NOT NULL,
                name TEXT NOT NULL,
                dimensions TEXT NOT NULL,
                last_put BIGINT NOT NULL
            );
            CREATE INDEX cloudwatch_metrics_list ON cloudwatch_metrics (account_id, region, namespace, name);
            CREATE TABLE cloudwatch_datapoints (
                metric_key TEXT NOT NULL,
                resolution INTEGER NOT NULL,
                at BIGINT NOT NULL,
                unit TEXT NOT NULL,
                sample_count DOUBLE PRECISION NOT NULL,
                total DOUBLE PRECISION NOT NULL,
                minimum DOUBLE PRECISION NOT NULL,
                maximum DOUBLE PRECISION NOT NULL,
                distribution TEXT NULL,
                PRIMARY KEY (metric_key, resolution, at, unit)
            );
            CREATE INDEX cloudwatch_datapoints_age ON cloudwatch_datapoints (resolution, at);
            CREATE TABLE cloudwatch_alarms (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                definition TEXT NOT NULL,
                actions_enabled INTEGER NOT NULL,
                state TEXT NOT NULL,
                state_reason TEXT NOT NULL,
                state_reason_data TEXT NULL,
                state_updated BIGINT NOT NULL,
                state_transitioned BIGINT NOT NULL,
                config_updated BIGINT NOT NULL,
                tags TEXT NOT NULL,
                PRIMARY KEY (account_id, region, name)
            );
            CREATE TABLE cloudwatch_alarm_history (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                alarm_name TEXT NOT NULL,
                at BIGINT NOT NULL,
                id TEXT NOT NULL,
                item_type TEXT NOT NULL,
                summary TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (account_id, region, alarm_name, at, id)
            );
            CREATE INDEX cloudwatch_alarm_history_age ON cloudwatch_alarm_history (at);
            """),
    ];
}
