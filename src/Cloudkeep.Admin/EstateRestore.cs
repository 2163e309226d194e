using System.IO.Compression;
using Cloudkeep.Backup;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Storage.Files;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cloudkeep.Admin;

/// <summary><c>admin restore</c>: the archive at SOURCE (a file or s3://bucket/key) into the new data directory DATA (and the empty PostgreSQL DATABASE).</summary>
public sealed record EstateRestoreArguments(string Source, string? DataDirectory, ArchiveKey Key)
{
    public string? Database { get; init; }

    /// <summary>The estate's master key (as the server's master.key holds it): checked against the archive and written to &lt;data&gt;/master.key.</summary>
    public string? MasterKeyFile { get; init; }

    public string? PostgresBin { get; init; }

    /// <summary>
    /// Where the restored estate's server will keep its blobs (its --blobs): by default &lt;data&gt;/blobs, where they
    /// are unpacked; another directory or an S3-compatible backend gets them through its blob store once the whole
    /// archive has been checked.
    /// </summary>
    public BlobStoreOptions Blobs { get; init; } = new();
}

/// <summary>
/// Restores only what it has proved whole. Everything is written into a hidden directory beside the new data
/// directory while the archive is read: every chunk's tag, every entry's SHA-256 against the manifest, SQLite's
/// integrity check, every blob the metadata names present, the master key against the manifest's check. Only then
/// is the PostgreSQL dump loaded (in one transaction) and the directory renamed to its name; on any failure the
/// hidden directory is removed, so a refused archive leaves nothing.
/// </summary>
public sealed class EstateRestore(TextWriter output, TimeProvider time, BackupConnection? s3)
{
    public async Task RunAsync(EstateRestoreArguments args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verifyOnly = args.DataDirectory is null;
        var target = verifyOnly ? null : Path.GetFullPath(args.DataDirectory!);
        if (target is not null && (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())))
        {
            throw new ArchiveException($"{target} exists and is not empty: restore into a new directory");
        }

        var parent = target is null ? Path.GetTempPath() : Path.GetDirectoryName(target)!;
        if (!Directory.Exists(parent))
        {
            throw new ArchiveException($"{parent}, where {target} would be made, does not exist");
        }

        var masterKey = args.MasterKeyFile is null ? null : MasterKeyCheck.Read(args.MasterKeyFile);
        if (args.Database is not null && !verifyOnly)
        {
            await RequireEmptyDatabaseAsync(args.Database, cancellationToken);
        }

        // A sibling of the target, so the final rename stays on one file system.
        var staging = Path.Combine(parent, $".cloudkeep-restore-{Guid.NewGuid():N}.partial");
        DataDirectory.Ensure(staging);
        try
        {
            var manifest = await ExtractAsync(args, staging, !verifyOnly, cancellationToken);
            if (manifest.Engine == "sqlite" && args.Database is not null)
            {
                throw new ArchiveException("the archive holds a SQLite estate; restore it without --database");
            }

            if (manifest.Engine == "postgres" && args.Database is null && !verifyOnly)
            {
                throw new ArchiveException("the archive holds a PostgreSQL estate; give --database, an empty database to load it into");
            }

            if (masterKey is not null)
            {
                if (manifest.MasterKeyCheck is null)
                {
                    await output.WriteLineAsync("the archive records no master key check (the backup could not read the key); the key given is not checked");
                }
                else if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Convert.FromHexString(manifest.MasterKeyCheck), Convert.FromHexString(MasterKeyCheck.Of(masterKey))))
                {
                    throw new ArchiveException($"the master key in {args.MasterKeyFile} is not the one this estate's secrets are sealed with");
                }
            }

            await output.WriteLineAsync($"checked the archive: {manifest.Entries.Count} entries match the manifest's SHA-256 sums; {manifest.Blobs} blobs, every one the metadata names");
            if (verifyOnly)
            {
                return;
            }

            if (masterKey is not null)
            {
                SecretFiles.WriteNew(Path.Combine(staging, SecretFiles.MasterKeyFileName), Convert.ToBase64String(masterKey) + "\n");
            }

            if (args.Blobs.Spec is not null)
            {
                await ImportBlobsAsync(args.Blobs, staging, target!, cancellationToken);
            }

            if (manifest.Engine == "postgres")
            {
                await LoadPostgresAsync(args, Path.Combine(staging, "postgres.sql.gz"), cancellationToken);
            }

            if (Directory.Exists(target))
            {
                // An empty directory made for the restore: replaced by the checked one.
                Directory.Delete(target);
            }

            Directory.Move(staging, target!);
            await output.WriteLineAsync($"restored the estate into {target}" + (args.Database is null ? "" : " and its metadata into the database given"));
            if (masterKey is null)
            {
                await output.WriteLineAsync($"start it with the estate's master key: CLOUDKEEP_MASTER_KEY, or the key file copied to {Path.Combine(target!, SecretFiles.MasterKeyFileName)} (mode 0600)");
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private async Task<EstateManifest> ExtractAsync(EstateRestoreArguments args, string staging, bool keepBlobs, CancellationToken cancellationToken)
    {
        var download = S3Location.TryParse(args.Source, out var bucket, out var key) ? Path.Combine(staging, "archive.download") : null;
        if (download is not null)
        {
            var connection = s3 ?? throw new ArchiveException("an s3:// source needs S3 credentials");
            using var client = connection.S3();
            using var response = await client.GetObjectAsync(bucket, key, cancellationToken);
            await using var file = File.Create(download);
            await response.ResponseStream.CopyToAsync(file, cancellationToken);
        }

        var path = download ?? args.Source;
        if (!File.Exists(path))
        {
            throw new ArchiveException($"{path} does not exist");
        }

        var blobs = new HashSet<string>(StringComparer.Ordinal);
        string? metadata = null;
        EstateManifest manifest;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        await using (var plain = ArchiveStreams.OpenRead(file, args.Key))
        {
            var reader = new ArchiveReader(plain);
            while (await reader.NextAsync(cancellationToken) is var (name, length))
            {
                if (name is EstateManifest.SqliteEntry or EstateManifest.PostgresEntry)
                {
                    metadata = Path.Combine(staging, name == EstateManifest.SqliteEntry ? "cloudkeep.db.gz" : "postgres.sql.gz");
                    await using var sink = OwnerOnly.Create(metadata);
                    await reader.CopyEntryAsync(name, length, sink, cancellationToken);
                }
                else if (name.StartsWith("blobs/", StringComparison.Ordinal) && BlobId.TryParse(name["blobs/".Length..], out var blob) && blobs.Add(blob.ToString()))
                {
                    if (keepBlobs)
                    {
                        var blobPath = Path.Combine(staging, "blobs", blob.Location, blob.Id[..2], blob.Id);
                        Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
                        await using var sink = OwnerOnly.Create(blobPath);
                        await reader.CopyEntryAsync(name, length, sink, cancellationToken);
                    }
                    else
                    {
                        await reader.CopyEntryAsync(name, length, Stream.Null, cancellationToken);
                    }
                }
                else
                {
                    throw new ArchiveException($"the archive holds an entry this restore does not know (or twice): {name}");
                }
            }

            manifest = EstateManifest.Parse(await reader.ReadManifestAsync(cancellationToken));
            manifest.Check(reader.Entries);
        }

        if (download is not null)
        {
            File.Delete(download);
        }

        if (metadata is null)
        {
            throw new ArchiveException("the archive holds no metadata");
        }

        if (manifest.Engine == "sqlite")
        {
            await CheckSqliteAsync(metadata, staging, blobs, cancellationToken);
        }

        return manifest;
    }

    /// <summary>
    /// The checked archive's blobs, unpacked under &lt;staging&gt;/blobs, written into the store the restored server
    /// will use (with their own ids, which the metadata names), then removed from the new data directory. Runs
    /// before the metadata is loaded: a backend that refuses leaves no estate naming blobs it does not hold.
    /// </summary>
    private async Task ImportBlobsAsync(BlobStoreOptions options, string staging, string target, CancellationToken cancellationToken)
    {
        IBlobStore store;
        try
        {
            store = options.Create(target, time);
        }
        catch (ArgumentException e)
        {
            throw new ArchiveException(e.Message, e);
        }

        using var owned = store as IDisposable;
        var unpacked = Path.Combine(staging, "blobs");
        var count = 0;
        if (Directory.Exists(unpacked))
        {
            foreach (var file in Directory.EnumerateFiles(unpacked, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(unpacked, file).Split(Path.DirectorySeparatorChar);
                if (relative.Length != 3 || !BlobId.TryParse(relative[0] + "/" + relative[2], out var id))
                {
                    continue;
                }

                await using var content = File.OpenRead(file);
                try
                {
                    await store.ImportAsync(id, content, cancellationToken);
                }
                catch (BlobStoreUnavailableException e)
                {
                    throw new ArchiveException($"blob {id} could not be written to {store.Description}: {e.Message}", e);
                }

                count++;
            }

            Directory.Delete(unpacked, recursive: true);
        }

        await output.WriteLineAsync($"wrote {count} blobs to {store.Description}");
    }

    /// <summary>The metadata unpacked, checked by SQLite itself, and every blob it names found among the archive's.</summary>
    private static async Task CheckSqliteAsync(string compressed, string staging, HashSet<string> blobs, CancellationToken cancellationToken)
    {
        var database = Path.Combine(staging, "cloudkeep.db");
        await using (var input = new GZipStream(File.OpenRead(compressed), CompressionMode.Decompress))
        await using (var output = OwnerOnly.Create(database))
        {
            await input.CopyToAsync(output, cancellationToken);
        }

        File.Delete(compressed);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        var integrity = await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check");
        if (integrity != "ok")
        {
            throw new ArchiveException("the archived SQLite metadata fails SQLite's integrity check: " + integrity);
        }

        var missing = (await EstateSql.ReferencedBlobsAsync(connection, null, cancellationToken)).Where(b => !blobs.Contains(b)).ToList();
        if (missing.Count > 0)
        {
            throw new ArchiveException($"the metadata names {missing.Count} blobs the archive does not hold, e.g. {missing[0]}");
        }
    }

    private static async Task RequireEmptyDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Storage.Metadata.PostgresMetadataStore.ToConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'public')"))
        {
            throw new ArchiveException("the database given already holds tables: restore into a new, empty database");
        }
    }

    /// <summary>The dump through psql in one transaction (all or nothing), then the live estate's leases forgotten.</summary>
    private async Task LoadPostgresAsync(EstateRestoreArguments args, string compressed, CancellationToken cancellationToken)
    {
        using (var psql = new PostgresTools(args.PostgresBin).StartRestore(args.Database!))
        {
            var drain = psql.Output.CopyToAsync(Stream.Null, cancellationToken);
            try
            {
                await using (var input = new GZipStream(File.OpenRead(compressed), CompressionMode.Decompress))
                {
                    await input.CopyToAsync(psql.Input, cancellationToken);
                }
            }
            catch (IOException) when (psql.ExitedWithin(TimeSpan.FromSeconds(5)))
            {
                // psql stopped reading (ON_ERROR_STOP rolled its transaction back): its exit status says why.
            }

            psql.CloseInput();
            await drain;
            try
            {
                await psql.WaitForSuccessAsync("psql", cancellationToken);
            }
            catch (BackupException e)
            {
                throw new ArchiveException(e.Message, e);
            }
        }

        File.Delete(compressed);
        await using var connection = new NpgsqlConnection(Storage.Metadata.PostgresMetadataStore.ToConnectionString(args.Database!));
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(EstateSql.ForgetRunningState);
        await output.WriteLineAsync($"loaded the metadata into the database ({time.GetUtcNow():u})");
    }
}
