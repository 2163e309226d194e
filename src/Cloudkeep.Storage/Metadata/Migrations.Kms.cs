namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    private static (int Version, string Name, string Sql)[] Kms { get; } =
    [
        (300, "kms keys, key material versions, aliases and tags", """
            CREATE TABLE kms_keys (
                key_id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                description TEXT NOT NULL,
                key_state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                deletion_date BIGINT NULL,
                policy TEXT NOT NULL,
                policy_version INTEGER NOT NULL,
                rotation_enabled INTEGER NOT NULL,
                rotation_period_days INTEGER NULL,
                next_rotation_at BIGINT NULL,
                current_material_version INTEGER NOT NULL
            );
            CREATE INDEX kms_keys_owner ON kms_keys (account_id, region, key_id);
            CREATE TABLE kms_key_materials (
                key_id TEXT NOT NULL REFERENCES kms_keys (key_id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                material_sealed TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (key_id, version)
            );
            CREATE TABLE kms_aliases (
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                alias_name TEXT NOT NULL,
                key_id TEXT NOT NULL REFERENCES kms_keys (key_id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, region, alias_name)
            );
            CREATE INDEX kms_aliases_key ON kms_aliases (key_id);
            CREATE TABLE kms_key_tags (
                key_id TEXT NOT NULL REFERENCES kms_keys (key_id) ON DELETE CASCADE,
                tag_key TEXT NOT NULL,
                tag_value TEXT NOT NULL,
                PRIMARY KEY (key_id, tag_key)
            );
            """),
    ];
}
