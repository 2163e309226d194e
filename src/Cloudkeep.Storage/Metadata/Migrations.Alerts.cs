namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    private static (int Version, string Name, string Sql)[] Alerts { get; } =
    [
        (700, "the alert outbox: one row per alert and sink, kept until delivered or dead-lettered", """
            CREATE TABLE alert_outbox (
                id TEXT PRIMARY KEY,
                alert_id TEXT NOT NULL,
                sink TEXT NOT NULL,
                alert TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                attempts BIGINT NOT NULL,
                due_ms BIGINT NOT NULL,
                state TEXT NOT NULL,
                last_error TEXT NULL,
                done_ms BIGINT NULL
            );
            CREATE INDEX alert_outbox_due ON alert_outbox (state, due_ms);
            """),
        (701, "the security watch's latest findings per account, and when each account was last read", """
            CREATE TABLE watch_findings (
                account_id TEXT NOT NULL,
                seq BIGINT NOT NULL,
                check_id TEXT NOT NULL,
                severity TEXT NOT NULL,
                resource TEXT NOT NULL,
                why TEXT NOT NULL,
                fix TEXT NOT NULL,
                first_seen_ms BIGINT NOT NULL,
                PRIMARY KEY (account_id, seq)
            );
            CREATE TABLE watch_accounts (
                account_id TEXT PRIMARY KEY,
                checked_ms BIGINT NOT NULL,
                read_ms BIGINT NULL,
                error TEXT NULL
            );
            """),
    ];
}
