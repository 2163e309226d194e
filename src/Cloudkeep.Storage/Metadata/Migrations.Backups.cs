namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    private static (int Version, string Name, string Sql)[] Backups { get; } =
    [
        // An estate snapshot (`cloudkeep admin backup`) holds a row here from before it reads the metadata
        // until it has copied every blob that metadata names; while any row is unexpired, blobs the server
        // no longer needs are listed in pending_blob_deletes instead of deleted, and deleted once no
        // snapshot holds a lease (SnapshotLeases, BlobReclaimer).
        (900, "estate snapshot leases and the blob deletes they defer", """
            CREATE TABLE snapshot_leases (
                id TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                started_ms BIGINT NOT NULL,
                until_ms BIGINT NOT NULL
            );
            CREATE TABLE pending_blob_deletes (
                blob_id TEXT PRIMARY KEY,
                deferred_ms BIGINT NOT NULL
            );
            """),
    ];
}
