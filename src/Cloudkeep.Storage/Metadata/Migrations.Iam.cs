namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    /// <summary>
    /// IAM entities as documents: one row per user, group, role, managed policy, MFA device or
    /// account setting, keyed by account, kind and the case-folded name (IAM names are unique
    /// without regard to case). Entities are small and read whole; ids are unique estate-wide.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Iam { get; } =
    [
        (100, "iam entities", """
            CREATE TABLE iam_entities (
                account_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                name_key TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                body TEXT NOT NULL,
                revision BIGINT NOT NULL,
                PRIMARY KEY (account_id, kind, name_key)
            );
            CREATE UNIQUE INDEX iam_entities_id ON iam_entities (kind, entity_id);
            """),
    ];
}
