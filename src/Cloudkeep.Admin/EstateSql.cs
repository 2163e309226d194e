using System.Data.Common;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Storage.Metadata;
using Dapper;

namespace Cloudkeep.Admin;

/// <summary>What a snapshot reads from the metadata, the same on both engines.</summary>
internal static class EstateSql
{
    /// <summary>
    /// Every column that names blobs: objects' and versions' blob lists, and multipart parts' blobs.
    /// A test fails when the schema gains a column with "blob" in its name that is not listed here.
    /// </summary>
    public static readonly IReadOnlyList<(string Table, string Column)> BlobColumns = [("s3_objects", "blobs"), ("s3_versions", "blobs"), ("s3_parts", "blob_id")];

    /// <summary>
    /// Rows that belong to the running estate, not to its state: leases held by its nodes and snapshots, and blob
    /// deletes deferred for snapshots (those blobs are named by no row, so they are not in the archive). A restored
    /// estate starts without them, so its jobs run at once.
    /// </summary>
    public const string ForgetRunningState = "DELETE FROM leases; DELETE FROM snapshot_leases; DELETE FROM pending_blob_deletes;";

    /// <summary>The distinct blobs the metadata names, sorted (an archive's order).</summary>
    public static async Task<SortedSet<string>> ReferencedBlobsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var blobs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (table, column) in BlobColumns)
        {
            var rows = await connection.QueryAsync<string>(new CommandDefinition($"SELECT {column} FROM {table} WHERE {column} <> ''", transaction: transaction, cancellationToken: cancellationToken));
            foreach (var value in rows)
            {
                foreach (var (id, _) in column == "blobs" ? S3BlobList.Parse(value) : [(value, 0L)])
                {
                    if (!BlobId.TryParse(id, out _))
                    {
                        throw new ArchiveException($"{table}.{column} names '{id}', which is not a blob id");
                    }

                    blobs.Add(id);
                }
            }
        }

        return blobs;
    }

    public static Task<int> SchemaVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken));
}
