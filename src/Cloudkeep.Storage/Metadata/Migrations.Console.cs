namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    // The web console's own state (800-899): sign-in throttling and signed-out sessions. Sessions
    // themselves are sealed cookies; only what must outlive one node's memory is stored.
    private static (int Version, string Name, string Sql)[] ConsoleState { get; } =
    [
        (800, "console sign-in throttling and signed-out sessions", """
            CREATE TABLE console_signin_failures (
                subject TEXT PRIMARY KEY,
                failures BIGINT NOT NULL,
                last_failure_ms BIGINT NOT NULL
            );
            CREATE TABLE console_signed_out (
                session_id TEXT PRIMARY KEY,
                until_ms BIGINT NOT NULL
            );
            """),
    ];
}
