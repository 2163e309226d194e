using System.Data;
using System.Data.Common;
using System.Globalization;
using System.IO.Compression;
using Amazon.S3.Transfer;
using Cloudkeep.Backup;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Storage.Snapshots;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cloudkeep.Admin;

/// <summary><c>admin backup</c>: the estate in DATA (and DATABASE, when PostgreSQL holds its metadata) to DESTINATION (a directory or s3://bucket/prefix).</summary>
public sealed record EstateBackupArguments(string DataDirectory, string? Database, string Destination, ArchiveKey Key)
{
    public string? PostgresBin { get; init; }

    /// <summary>How long the snapshot's lease runs unless renewed; a killed backup defers deletes at most this long.</summary>
    public TimeSpan LeaseLength { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RenewEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the server keeps its blobs (serve's --blobs and its backend's settings): the backup reads them from there.</summary>
    public BlobStoreOptions Blobs { get; init; } = new();
}

/// <summary>
/// A consistent snapshot of a running estate. In order: a snapshot lease is committed (from then on no node deletes
/// a blob, it defers the delete); the metadata is copied at one instant (SQLite's online backup API, or pg_dump on
/// a snapshot exported from a REPEATABLE READ transaction in which the blob list is read too); every blob that copy
/// names is streamed into the archive, which is written under a temporary name and renamed only when complete; the
/// lease is released and the deferred deletes are done. The lease is renewed while the copy runs; if it lapses the
/// backup fails rather than write an archive that may miss blobs.
/// </summary>
public sealed class EstateBackup(TextWriter output, TimeProvider time, BackupConnection? s3)
{
    /// <summary>Runs the backup; returns where the archive is.</summary>
    public async Task<string> RunAsync(EstateBackupArguments args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var data = Path.GetFullPath(args.DataDirectory);
        var sqlite = string.IsNullOrWhiteSpace(args.Database);
        if (sqlite && !File.Exists(Path.Combine(data, "cloudkeep.db")))
        {
            throw new ArchiveException($"{data} holds no estate (no cloudkeep.db); give the server's --data, and --database when it uses PostgreSQL");
        }

        if (!sqlite && !args.Database!.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArchiveException("--database must be the postgres:// URL the server uses (pg_dump reads the same)");
        }

        var started = time.GetUtcNow();
        var name = "cloudkeep-estate-" + started.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + ".ckarchive";
        await using var store = MetadataStoreFactory.Create(args.Database, data);
        IBlobStore blobs;
        try
        {
            blobs = args.Blobs.Create(data, time);
        }
        catch (ArgumentException e)
        {
            throw new ArchiveException(e.Message, e);
        }

        using var ownedBlobs = blobs as IDisposable;
        var leases = new SnapshotLeases(store);
        var leaseId = Guid.NewGuid().ToString("N");
        try
        {
            await leases.TakeAsync(leaseId, Environment.MachineName + ":" + Environment.ProcessId, started, started + args.LeaseLength, cancellationToken);
        }
        catch (DbException e)
        {
            throw new ArchiveException($"the estate's metadata cannot take a snapshot lease ({e.Message}); a server of this version applies migration 900 when it starts", e);
        }

        var staging = Directory.CreateTempSubdirectory("cloudkeep-admin-backup-").FullName;
        using var lapse = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lapsed = false;
        var renewing = RenewAsync(leases, leaseId, args, () => lapsed = true, lapse);
        try
        {
            var snapshot = sqlite
                ? await SnapshotSqliteAsync(data, staging, lapse.Token)
                : await SnapshotPostgresAsync(store, args, staging, lapse.Token);
            await output.WriteLineAsync($"snapshot of the {store.Engine} metadata (schema {snapshot.SchemaVersion}) names {snapshot.Blobs.Count} blobs");
            var written = await WriteArchiveAsync(args, name, snapshot, blobs, MasterKeyCheck.TryLoad(data), started, staging, lapse.Token);
            await output.WriteLineAsync($"wrote {written.Location} ({written.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes; {snapshot.Blobs.Count} blobs, {written.BlobBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes of them)");
            return written.Location;
        }
        catch (OperationCanceledException) when (lapsed)
        {
            throw new ArchiveException($"the snapshot's lease lapsed (not renewed within {args.LeaseLength}), so blobs it names may have been deleted; nothing was written");
        }
        finally
        {
            await lapse.CancelAsync();
            await renewing;
            await leases.ReleaseAsync(leaseId, CancellationToken.None);
            Directory.Delete(staging, recursive: true);
            var reclaimed = await new BlobReclaimer(store, blobs, time).ReclaimDeferredAsync(CancellationToken.None);
            if (reclaimed > 0)
            {
                await output.WriteLineAsync($"deleted {reclaimed} blobs whose deletes the snapshot had deferred");
            }
        }
    }

    private async Task RenewAsync(SnapshotLeases leases, string id, EstateBackupArguments args, Action onLapse, CancellationTokenSource lapse)
    {
        try
        {
            while (true)
            {
                await Task.Delay(args.RenewEvery, time, lapse.Token);
                var now = time.GetUtcNow();
                if (!await leases.RenewAsync(id, now, now + args.LeaseLength, lapse.Token))
                {
                    onLapse();
                    await lapse.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The backup ended (or failed): nothing more to renew.
        }
        catch (DbException)
        {
            // A renewal that could not be written may let the lease lapse: the backup stops rather than risk it.
            onLapse();
            await lapse.CancelAsync();
        }
    }

    private sealed record Snapshot(string EntryName, string File, string Engine, int SchemaVersion, SortedSet<string> Blobs);

    /// <summary>SQLite's online backup API copies every page in one read transaction, which a WAL writer does not block.</summary>
    private static async Task<Snapshot> SnapshotSqliteAsync(string data, string staging, CancellationToken cancellationToken)
    {
        var copy = Path.Combine(staging, "cloudkeep.db");
        var source = new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "cloudkeep.db"), Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60 }.ToString();
        var target = new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString();
        await using (var from = new SqliteConnection(source))
        await using (var to = new SqliteConnection(target))
        {
            await from.OpenAsync(cancellationToken);
            await to.OpenAsync(cancellationToken);
            from.BackupDatabase(to);
        }

        SortedSet<string> blobs;
        int schema;
        await using (var connection = new SqliteConnection(target))
        {
            await connection.OpenAsync(cancellationToken);

            // The copy is a file of its own: no WAL beside it, and none of the live estate's leases.
            await connection.ExecuteAsync("PRAGMA journal_mode=DELETE;");
            await connection.ExecuteAsync(EstateSql.ForgetRunningState);
            blobs = await EstateSql.ReferencedBlobsAsync(connection, null, cancellationToken);
            schema = await EstateSql.SchemaVersionAsync(connection, null, cancellationToken);
        }

        var compressed = copy + ".gz";
        await using (var input = File.OpenRead(copy))
        await using (var file = File.Create(compressed))
        await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            await input.CopyToAsync(gzip, cancellationToken);
        }

        File.Delete(copy);
        return new Snapshot(EstateManifest.SqliteEntry, compressed, "sqlite", schema, blobs);
    }

    /// <summary>
    /// pg_dump runs on a snapshot this transaction exports (pg_export_snapshot), so the dump and the blob list read
    /// here see the same instant; the transaction stays open until pg_dump has finished.
    /// </summary>
    private static async Task<Snapshot> SnapshotPostgresAsync(IMetadataStore store, EstateBackupArguments args, string staging, CancellationToken cancellationToken)
    {
        var compressed = Path.Combine(staging, "postgres.sql.gz");
        await using var connection = (NpgsqlConnection)await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var exported = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT pg_export_snapshot()", transaction: transaction, cancellationToken: cancellationToken));
        var blobs = await EstateSql.ReferencedBlobsAsync(connection, transaction, cancellationToken);
        var schema = await EstateSql.SchemaVersionAsync(connection, transaction, cancellationToken);
        using (var dump = new PostgresTools(args.PostgresBin).StartDump(args.Database!, "--snapshot=" + exported))
        {
            await using (var file = File.Create(compressed))
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            {
                await dump.Output.CopyToAsync(gzip, cancellationToken);
            }

            try
            {
                await dump.WaitForSuccessAsync("pg_dump", cancellationToken);
            }
            catch (BackupException e)
            {
                throw new ArchiveException(e.Message, e);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new Snapshot(EstateManifest.PostgresEntry, compressed, "postgres", schema, blobs);
    }

    private sealed record Written(string Location, long Bytes, long BlobBytes);

    private async Task<Written> WriteArchiveAsync(EstateBackupArguments args, string name, Snapshot snapshot, IBlobStore blobs, byte[]? masterKey, DateTimeOffset started, string staging, CancellationToken cancellationToken)
    {
        var toS3 = S3Location.TryParse(args.Destination, out var bucket, out var prefix);
        string directory;
        if (toS3)
        {
            directory = staging;
        }
        else
        {
            directory = Path.GetFullPath(args.Destination);
            Directory.CreateDirectory(directory);
        }

        // Written under a hidden temporary name and renamed when complete, so a killed backup leaves no file by
        // the archive's name (and what it leaves fails the final chunk's check anyway).
        var final = Path.Combine(directory, name);
        var partial = Path.Combine(directory, "." + name + ".partial");
        long blobBytes = 0;
        try
        {
            await using (var file = OwnerOnly.Create(partial))
            {
                await using (var encrypted = ArchiveStreams.OpenWrite(file, args.Key, started))
                {
                    var writer = new ArchiveWriter(encrypted);
                    await using (var metadata = File.OpenRead(snapshot.File))
                    {
                        await writer.WriteEntryAsync(snapshot.EntryName, metadata, metadata.Length, cancellationToken);
                    }

                    foreach (var id in snapshot.Blobs)
                    {
                        var blob = BlobId.TryParse(id, out var parsed) ? parsed : throw new ArchiveException($"'{id}' is not a blob id");
                        BlobRange content;
                        try
                        {
                            content = await blobs.OpenReadAsync(blob, cancellationToken);
                        }
                        catch (FileNotFoundException e)
                        {
                            throw new ArchiveException($"blob {id}, named by the snapshot's metadata, is missing from {blobs.Description}", e);
                        }
                        catch (BlobStoreUnavailableException e)
                        {
                            throw new ArchiveException($"blob {id} could not be read: {e.Message}", e);
                        }

                        await using (content)
                        {
                            await writer.WriteEntryAsync("blobs/" + id, content.Content, content.BlobLength, cancellationToken);
                            blobBytes += content.BlobLength;
                        }
                    }

                    var manifest = new EstateManifest(1, started, snapshot.Engine, snapshot.SchemaVersion, masterKey is null ? null : MasterKeyCheck.Of(masterKey), snapshot.Blobs.Count, blobBytes, writer.Entries);
                    await writer.FinishAsync(manifest.ToJson(), cancellationToken);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(partial, final);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        var bytes = new FileInfo(final).Length;
        if (!toS3)
        {
            return new Written(final, bytes, blobBytes);
        }

        // S3 makes an object visible only when its upload completes, so a killed upload leaves nothing there.
        var key = prefix.Length == 0 ? name : prefix.TrimEnd('/') + "/" + name;
        var connection = s3 ?? throw new ArchiveException("an s3:// destination needs S3 credentials");
        using var client = connection.S3();
        using var transfer = new TransferUtility(client);
        await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = bucket, Key = key, FilePath = final }, cancellationToken);
        return new Written($"s3://{bucket}/{key}", bytes, blobBytes);
    }
}
