namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// The schema's versioned migrations, in order. SQL is kept to what SQLite and PostgreSQL share
/// (TEXT, BIGINT, INTEGER, ON CONFLICT); binary secrets are stored sealed and base64-encoded.
/// A migration is never edited once released: add a new one. Each service area numbers its own
/// migrations in its own range (core 1-99, IAM 100-199, Organizations 200-299, KMS 300-399,
/// S3 400-499, Route 53 500-599, CloudTrail 600-699, alerts 700-799, the console 800-899, backups 900-999, SNS 1000-1099, CloudWatch Logs 1100-1199, CloudWatch 1200-1299, metering and costs 1300-1399) in its own file, so areas never collide.
/// </summary>
public static partial class Migrations
{
    // Lazy: the areas' arrays live in other files, whose static initializers have no set order.
    private static readonly Lazy<IReadOnlyList<(int Version, string Name, string Sql)>> Ordered = new(Collect);

    public static IReadOnlyList<(int Version, string Name, string Sql)> All => Ordered.Value;

    private static List<(int Version, string Name, string Sql)> Collect() =>
        new[] { Core, Iam, Organizations, Kms, S3, Route53, CloudTrail, Alerts, ConsoleState, Backups, Sns, Logs, CloudWatch, Metering }.SelectMany(m => m).OrderBy(m => m.Version).ToList();

    private static (int Version, string Name, string Sql)[] Core { get; } =
    [
        (1, "accounts and access keys", """
            CREATE TABLE accounts (
                account_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                email TEXT NOT NULL,
                status TEXT NOT NULL,
                is_management INTEGER NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX accounts_email ON accounts (email);
            CREATE TABLE access_keys (
                access_key_id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts (account_id),
                user_name TEXT NULL,
                secret_sealed TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT NULL,
                last_used_service TEXT NULL,
                last_used_region TEXT NULL
            );
            CREATE INDEX access_keys_owner ON access_keys (account_id, user_name);
            CREATE TABLE settings (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
        (2, "leases for background work that runs on one node at a time", """
            CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                until_ms BIGINT NOT NULL
            );
            """),
    ];
}
