namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    // The web console's own state (800-899): sign-in throttling, signed-out sessions, root's password and its reset links. Sessions
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
        (801, "root sign-in: root passwords, password reset links (the secret's hash only) and the reset e-mails waiting for their alert", """
            CREATE TABLE root_logins (
                account_id TEXT PRIMARY KEY,
                password_hash TEXT NOT NULL,
                password_set_ms BIGINT NOT NULL
            );
            CREATE TABLE root_password_resets (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                verifier_hash TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL,
                state TEXT NOT NULL,
                used_ms BIGINT NULL,
                used_from TEXT NULL,
                announced INTEGER NOT NULL
            );
            CREATE INDEX root_password_resets_account ON root_password_resets (account_id, state);
            CREATE TABLE root_reset_mail (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                recipient TEXT NOT NULL,
                message_sealed TEXT NOT NULL,
                after_alerts TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL,
                attempts BIGINT NOT NULL,
                due_ms BIGINT NOT NULL,
                state TEXT NOT NULL,
                last_error TEXT NULL
            );
            CREATE INDEX root_reset_mail_due ON root_reset_mail (state, due_ms);
            """),
    ];
}
