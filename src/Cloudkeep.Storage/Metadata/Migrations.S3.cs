namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    // Object keys compare byte-wise (S3 lists in UTF-8 binary order): SQLite's BINARY collation does
    // that, and the PostgreSQL store rewrites "COLLATE BINARY" to its "C" collation.
    private static (int Version, string Name, string Sql)[] S3 { get; } =
    [
        (400, "s3 buckets, objects, multipart uploads and parts", """
            CREATE TABLE s3_buckets (
                name TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                region TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                config TEXT NOT NULL
            );
            CREATE INDEX s3_buckets_owner ON s3_buckets (account_id, name);
            CREATE TABLE s3_objects (
                bucket TEXT NOT NULL,
                object_key TEXT COLLATE BINARY NOT NULL,
                blobs TEXT NOT NULL,
                size BIGINT NOT NULL,
                etag TEXT NOT NULL,
                last_modified BIGINT NOT NULL,
                owner_account TEXT NOT NULL,
                meta TEXT NOT NULL,
                PRIMARY KEY (bucket, object_key)
            );
            CREATE TABLE s3_uploads (
                upload_id TEXT PRIMARY KEY,
                bucket TEXT NOT NULL,
                object_key TEXT COLLATE BINARY NOT NULL,
                initiated BIGINT NOT NULL,
                owner_account TEXT NOT NULL,
                initiator_arn TEXT NOT NULL,
                meta TEXT NOT NULL
            );
            CREATE INDEX s3_uploads_bucket ON s3_uploads (bucket, object_key, upload_id);
            CREATE TABLE s3_parts (
                upload_id TEXT NOT NULL REFERENCES s3_uploads (upload_id) ON DELETE CASCADE,
                part_number INTEGER NOT NULL,
                blob_id TEXT NOT NULL,
                size BIGINT NOT NULL,
                etag TEXT NOT NULL,
                last_modified BIGINT NOT NULL,
                checksums TEXT NOT NULL,
                PRIMARY KEY (upload_id, part_number)
            );
            """),
        (401, "small s3 objects stored inline with their row", """
            ALTER TABLE s3_objects ADD COLUMN inline_data BLOB NULL;
            """),

        // s3_objects keeps one row per key, its current version (a delete marker included), so
        // listings and reads of current objects stay one index lookup however many versions a key
        // has; the versions it replaced move to s3_versions. seq orders a key's versions, newest
        // highest; noncurrent_since is when a version was replaced (lifecycle counts from it).
        (402, "s3 object versions and delete markers", """
            ALTER TABLE s3_objects ADD COLUMN version_id TEXT NOT NULL DEFAULT 'null';
            ALTER TABLE s3_objects ADD COLUMN delete_marker INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE s3_objects ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
            CREATE TABLE s3_versions (
                bucket TEXT NOT NULL,
                object_key TEXT COLLATE BINARY NOT NULL,
                seq BIGINT NOT NULL,
                version_id TEXT NOT NULL,
                delete_marker INTEGER NOT NULL,
                blobs TEXT NOT NULL,
                size BIGINT NOT NULL,
                etag TEXT NOT NULL,
                last_modified BIGINT NOT NULL,
                owner_account TEXT NOT NULL,
                meta TEXT NOT NULL,
                inline_data BLOB NULL,
                noncurrent_since BIGINT NOT NULL,
                PRIMARY KEY (bucket, object_key, seq)
            );
            CREATE UNIQUE INDEX s3_versions_id ON s3_versions (bucket, object_key, version_id);
            """),

        // A completed upload's id, kept with what it made, so a retried CompleteMultipartUpload
        // answers 200 with the same ETag (as S3 does) while that object is still the key's current one.
        (403, "s3 completed multipart uploads", """
            CREATE TABLE s3_completed_uploads (
                upload_id TEXT PRIMARY KEY,
                bucket TEXT NOT NULL,
                object_key TEXT COLLATE BINARY NOT NULL,
                version_id TEXT NOT NULL,
                etag TEXT NOT NULL,
                last_modified BIGINT NOT NULL
            );
            CREATE INDEX s3_completed_uploads_key ON s3_completed_uploads (bucket, object_key);
            """),

        // Versions waiting to be replicated, queued in the transaction that wrote them, so a crash
        // loses none. A key's versions are replicated in their order (seq); next_at backs off retries.
        (404, "s3 replication queue", """
            CREATE TABLE s3_replication_queue (
                bucket TEXT NOT NULL,
                object_key TEXT COLLATE BINARY NOT NULL,
                seq BIGINT NOT NULL,
                version_id TEXT NOT NULL,
                queued_at BIGINT NOT NULL,
                attempts INTEGER NOT NULL,
                next_at BIGINT NOT NULL,
                PRIMARY KEY (bucket, object_key, seq)
            );
            CREATE INDEX s3_replication_queue_due ON s3_replication_queue (next_at);
            """),

        // Server access log lines waiting to be delivered as objects into their target bucket,
        // written in batches by the node that served the requests; the delivery job empties it.
        (405, "s3 server access log lines", """
            CREATE TABLE s3_access_log_lines (
                id TEXT PRIMARY KEY,
                source_bucket TEXT NOT NULL,
                at BIGINT NOT NULL,
                line TEXT NOT NULL
            );
            CREATE INDEX s3_access_log_lines_source ON s3_access_log_lines (source_bucket, at);
            """),
    ];
}
