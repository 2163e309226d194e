using System.CommandLine;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Cloudkeep.Admin;
using Cloudkeep.Backup;
using Cloudkeep.Storage.Files;

namespace Cloudkeep.Cli.Commands;

/// <summary>
/// cloudkeep admin backup | restore: Cloudkeep's own estate (metadata and blobs) as one encrypted archive, taken
/// from the server's data directory (and PostgreSQL database) on the same machine while it runs, and restored into
/// a new data directory.
/// </summary>
internal static class AdminCommand
{
    public static Command Create()
    {
        var command = new Command("admin", "Operator commands over a server's own data directory: backup and restore of the whole estate.");
        command.Subcommands.Add(Backup());
        command.Subcommands.Add(Restore());
        return command;
    }

    private static Command Backup()
    {
        var to = new Option<string>("--to") { Description = "A directory (the archive is written there as cloudkeep-estate-TIME.ckarchive) or s3://bucket/prefix.", Required = true };
        var blobs = new Option<string?>("--blobs") { Description = "Where the server keeps its blobs, as serve's --blobs (CLOUDKEEP_BLOBS): disk:DIR or s3://BUCKET[/PREFIX]; the blobs are copied from there into the archive. Default: <data>/blobs." };
        var blobsEndpoint = new Option<string?>("--blobs-endpoint") { Description = "The blob backend's endpoint for --blobs s3://... (CLOUDKEEP_BLOBS_ENDPOINT), as serve's." };
        var blobsCredentials = new Option<string?>("--blobs-credentials") { Description = "The blob backend's credentials file (mode 0600) for --blobs s3://... (CLOUDKEEP_BLOBS_CREDENTIALS), as serve's." };
        var command = new Command("backup", "A consistent snapshot of the running estate (metadata by SQLite's online backup or pg_dump, and every blob it names, read from the server's blob store) as one encrypted, compressed archive with SHA-256 sums. The master key is never in it.") { to, blobs, blobsEndpoint, blobsCredentials };
        var common = Common.AddTo(command);
        command.SetAction((parse, cancellationToken) => common.RunAsync(parse, async (key, connection) =>
        {
            await new EstateBackup(Console.Out, TimeProvider.System, connection).RunAsync(
                new EstateBackupArguments(common.Data(parse), common.Database(parse), parse.GetValue(to)!, key)
                {
                    PostgresBin = parse.GetValue(common.PostgresBin),
                    Blobs = Storage.Blobs.BlobStoreOptions.FromEnvironment(parse.GetValue(blobs), parse.GetValue(blobsEndpoint), parse.GetValue(blobsCredentials)),
                },
                cancellationToken);
        }, parse.GetValue(to)!));
        return command;
    }

    private static Command Restore()
    {
        var from = new Option<string>("--from") { Description = "The archive: a file, or s3://bucket/key.", Required = true };
        var masterKey = new Option<string?>("--master-key-file") { Description = "The estate's master key (the server's master.key): checked against the archive, then written to the new data directory (0600)." };
        var verifyOnly = new Option<bool>("--verify-only") { Description = "Read and check the whole archive (in a temporary directory, removed after); restore nothing." };
        var blobs = new Option<string?>("--blobs") { Description = "Where the restored server will keep its blobs, as serve's --blobs (CLOUDKEEP_BLOBS): disk:DIR or s3://BUCKET[/PREFIX]; they are written there once the whole archive is checked. Default: <data>/blobs." };
        var blobsEndpoint = new Option<string?>("--blobs-endpoint") { Description = "The blob backend's endpoint for --blobs s3://... (CLOUDKEEP_BLOBS_ENDPOINT), as serve's." };
        var blobsCredentials = new Option<string?>("--blobs-credentials") { Description = "The blob backend's credentials file (mode 0600) for --blobs s3://... (CLOUDKEEP_BLOBS_CREDENTIALS), as serve's." };
        var command = new Command("restore", "Check a whole archive (every chunk's tag, every SHA-256, SQLite's integrity, every blob named), then restore it into a new data directory (and an empty PostgreSQL database, and the blob store of --blobs); a damaged archive writes nothing.") { from, masterKey, verifyOnly, blobs, blobsEndpoint, blobsCredentials };
        var common = Common.AddTo(command);
        command.SetAction((parse, cancellationToken) => common.RunAsync(parse, async (key, connection) =>
        {
            var data = parse.GetValue(common.DataOption);
            if (data is null && !parse.GetValue(verifyOnly))
            {
                throw new ArgumentException("--data NEW-DIRECTORY is required (or --verify-only)");
            }

            await new EstateRestore(Console.Out, TimeProvider.System, connection).RunAsync(
                new EstateRestoreArguments(parse.GetValue(from)!, parse.GetValue(verifyOnly) ? null : data, key)
                {
                    Database = parse.GetValue(common.DatabaseOption),
                    MasterKeyFile = parse.GetValue(masterKey),
                    PostgresBin = parse.GetValue(common.PostgresBin),
                    Blobs = Storage.Blobs.BlobStoreOptions.FromEnvironment(parse.GetValue(blobs), parse.GetValue(blobsEndpoint), parse.GetValue(blobsCredentials)),
                },
                cancellationToken);
        }, parse.GetValue(from)!));
        return command;
    }

    /// <summary>The options both verbs share: the archive's key, the estate's location, and S3's.</summary>
    private sealed class Common
    {
        public Option<string?> KeyFile { get; } = new("--key-file") { Description = "The backup key file (base64 of 32 random bytes: head -c 32 /dev/urandom | base64). Kept apart from the master key." };

        public Option<string?> PassphraseFile { get; } = new("--passphrase-file") { Description = "A file whose first line is the passphrase (PBKDF2-SHA256, 600,000 rounds), instead of --key-file." };

        public Option<string?> DataOption { get; } = new("--data") { Description = "The server's data directory (CLOUDKEEP_DATA; default as serve's); for restore, the new directory to make." };

        public Option<string?> DatabaseOption { get; } = new("--database") { Description = "The server's postgres:// metadata database (CLOUDKEEP_DATABASE for backup); for restore, an empty database to load into." };

        public Option<string?> PostgresBin { get; } = new("--pg-bin") { Description = "The directory of pg_dump and psql (default: PATH)." };

        public Option<string?> Profile { get; } = new("--profile") { Description = "AWS profile for an s3:// archive (default: the SDK's chain)." };

        public Option<string?> Endpoint { get; } = new("--endpoint-url") { Description = "S3 endpoint for an s3:// archive (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS)." };

        public Option<string?> Region { get; } = new("--region") { Description = "The bucket's region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)." };

        public static Common AddTo(Command command)
        {
            var common = new Common();
            foreach (var option in new Option[] { common.KeyFile, common.PassphraseFile, common.DataOption, common.DatabaseOption, common.PostgresBin, common.Profile, common.Endpoint, common.Region })
            {
                command.Options.Add(option);
            }

            return common;
        }

        public string Data(ParseResult parse) => parse.GetValue(DataOption) ?? Env("CLOUDKEEP_DATA") ?? DataDirectory.Default();

        public string? Database(ParseResult parse) => parse.GetValue(DatabaseOption) ?? Env("CLOUDKEEP_DATABASE");

        public async Task<int> RunAsync(ParseResult parse, Func<ArchiveKey, BackupConnection?, Task> verb, string location)
        {
            try
            {
                var keyFile = parse.GetValue(KeyFile);
                var passphraseFile = parse.GetValue(PassphraseFile);
                if ((keyFile is null) == (passphraseFile is null))
                {
                    throw new ArgumentException("give one of --key-file and --passphrase-file");
                }

                var key = keyFile is not null ? ArchiveKey.FromKeyFile(keyFile) : ArchiveKey.FromPassphraseFile(passphraseFile!);
                await verb(key, location.StartsWith("s3://", StringComparison.Ordinal) ? Connection(parse) : null);
                return 0;
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"cloudkeep admin: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is ArchiveException or AmazonServiceException or AmazonClientException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"cloudkeep admin: {e.Message}");
                return 1;
            }
        }

        private BackupConnection Connection(ParseResult parse)
        {
            var profile = parse.GetValue(Profile);
            var credentials = string.IsNullOrEmpty(profile)
                ? DefaultAWSCredentialsIdentityResolver.GetCredentials()
                : new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var found)
                    ? found
                    : throw new ArgumentException($"AWS profile '{profile}' not found");
            return new BackupConnection(
                credentials,
                parse.GetValue(Endpoint) ?? Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL"),
                parse.GetValue(Region) ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? "us-east-1",
                Env("AWS_CA_BUNDLE"));
        }

        private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
    }
}
