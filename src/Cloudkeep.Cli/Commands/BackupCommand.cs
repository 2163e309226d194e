using System.CommandLine;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Cloudkeep.Backup;
using Cloudkeep.Secrets.Keys;

namespace Cloudkeep.Cli.Commands;

/// <summary>
/// cloudkeep backup run | verify | list | restore: the seed's nightly database dumps (pg_dump | gzip | gpg, uploaded
/// by a pre-signed POST into the backups account), checked, listed and restored.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var command = new Command("backup", "Encrypted PostgreSQL dumps in S3: run (dump, encrypt, upload by a pre-signed POST, verify), verify, list, restore.");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Restore());
        return command;
    }

    private static Command Run()
    {
        var database = new Option<string>("--database") { Description = "The database to dump (postgres://USER@HOST:PORT/NAME).", Required = true };
        var bucket = new Option<string>("--bucket") { Description = "The backups bucket.", Required = true };
        var recipient = new Option<string>("--recipient") { Description = "The OpenPGP public key file (armored or binary) the dump is encrypted to.", Required = true };
        var name = new Option<string>("--name") { Description = "The object's name; {FORMAT} parts are the UTC time: 'production-{yyyyMMddHHmm}.sql.gz.gpg'.", Required = true };
        var privateKey = new Option<string?>("--verify-with") { Description = "The SOPS file holding the private key (private_key, passphrase): download and check the dump after the upload." };
        var command = new Command("run", "Dump a database with pg_dump, gzip it, encrypt it to an OpenPGP key and upload it by a pre-signed POST (600 s, bucket-owner-full-control).")
        {
            database, bucket, recipient, name, privateKey,
        };
        var common = Common.AddTo(command);
        command.SetAction((parse, cancellationToken) => common.RunAsync(parse, (runner, _) => runner.RunAsync(
            new BackupRunArguments(parse.GetValue(database)!, parse.GetValue(bucket)!, parse.GetValue(recipient)!, parse.GetValue(name)!)
            {
                PrivateKeyFile = parse.GetValue(privateKey),
                PostgresBin = parse.GetValue(common.PostgresBin),
            }, cancellationToken)));
        return command;
    }

    private static Command Verify()
    {
        var bucket = new Option<string>("--bucket") { Description = "The backups bucket.", Required = true };
        var target = new Option<string>("--object") { Description = "The dump's key.", Required = true };
        var privateKey = new Option<string>("--private-key") { Description = "The SOPS file holding the private key (private_key, passphrase).", Required = true };
        var command = new Command("verify", "Download a dump and prove it decrypts, gunzips and ends as pg_dump ends; alert otherwise.") { bucket, target, privateKey };
        var common = Common.AddTo(command);
        command.SetAction((parse, cancellationToken) => common.RunAsync(parse, (runner, _) =>
            runner.VerifyAsync(parse.GetValue(bucket)!, parse.GetValue(target)!, parse.GetValue(privateKey)!, cancellationToken)));
        return command;
    }

    private static Command List()
    {
        var bucket = new Option<string>("--bucket") { Description = "The backups bucket.", Required = true };
        var prefix = new Option<string?>("--prefix") { Description = "Only keys under this prefix (a stage's dumps)." };
        var command = new Command("list", "List the dumps in a bucket, newest first, with size and age.") { bucket, prefix };
        var common = Common.AddTo(command);
        command.SetAction((parse, cancellationToken) => common.RunAsync(parse, (runner, _) =>
            runner.ListAsync(parse.GetValue(bucket)!, parse.GetValue(prefix), cancellationToken)));
        return command;
    }

    private static Command Restore()
    {
        var bucket = new Option<string>("--bucket") { Description = "The backups bucket.", Required = true };
        var target = new Option<string>("--object") { Description = "The dump's key, or 'latest' (the newest under --prefix).", Required = true };
        var prefix = new Option<string?>("--prefix") { Description = "With --object latest: only keys under this prefix." };
        var into = new Option<string>("--into") { Description = "The database to restore into (postgres://...).", Required = true };
        var privateKey = new Option<string>("--private-key") { Description = "The SOPS file holding the private key (private_key, passphrase).", Required = true };
        var thenSql = new Option<string?>("--then-sql") { Description = "SQL to run after the restore (the weekly cleaning)." };
        var redumpBucket = new Option<string?>("--redump-bucket") { Description = "Dump the restored database again into this bucket (the cleaned dumps)." };
        var redumpName = new Option<string?>("--redump-name") { Description = "The re-dump's name template." };
        var redumpRecipient = new Option<string?>("--redump-recipient") { Description = "The public key the re-dump is encrypted to." };
        var command = new Command("restore", "Check a dump completely, then decrypt → gunzip → psql into a database; optionally clean it and dump it again.")
        {
            bucket, target, prefix, into, privateKey, thenSql, redumpBucket, redumpName, redumpRecipient,
        };
        var common = Common.AddTo(command);
        command.SetAction((parse, cancellationToken) => common.RunAsync(parse, (runner, _) =>
        {
            if (parse.GetValue(redumpBucket) is not null && (parse.GetValue(redumpName) is null || parse.GetValue(redumpRecipient) is null))
            {
                throw new ArgumentException("--redump-bucket needs --redump-name and --redump-recipient");
            }

            return runner.RestoreAsync(new BackupRestoreArguments(parse.GetValue(bucket)!, parse.GetValue(target)!, parse.GetValue(into)!, parse.GetValue(privateKey)!)
            {
                Prefix = parse.GetValue(prefix),
                ThenSql = parse.GetValue(thenSql),
                RedumpBucket = parse.GetValue(redumpBucket),
                RedumpName = parse.GetValue(redumpName),
                RedumpRecipientKeyFile = parse.GetValue(redumpRecipient),
                PostgresBin = parse.GetValue(common.PostgresBin),
            }, cancellationToken);
        }));
        return command;
    }

    /// <summary>The options every verb shares: where S3 is, whose credentials, where alerts go.</summary>
    private sealed class Common
    {
        public Option<string?> Profile { get; } = new("--profile") { Description = "AWS profile for the credentials (default: the SDK's chain: environment, AWS_PROFILE, default)." };

        public Option<string?> Endpoint { get; } = new("--endpoint-url") { Description = "S3 endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS); path-style under it." };

        public Option<string?> Region { get; } = new("--region") { Description = "The bucket's region, for signing (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)." };

        public Option<string?> PostgresBin { get; } = new("--pg-bin") { Description = "The directory of pg_dump and psql (default: PATH)." };

        public Option<string?> AlertWebhook { get; } = new("--alert-webhook") { Description = "On failure, POST a JSON alert to this URL." };

        public Option<string?> AlertSmtp { get; } = new("--alert-smtp") { Description = "On failure, send an e-mail through this SMTP relay (HOST:PORT); needs --alert-email." };

        public Option<string?> AlertEmail { get; } = new("--alert-email") { Description = "FROM,TO addresses of the failure e-mail." };

        public static Common AddTo(Command command)
        {
            var common = new Common();
            command.Options.Add(common.Profile);
            command.Options.Add(common.Endpoint);
            command.Options.Add(common.Region);
            command.Options.Add(common.PostgresBin);
            command.Options.Add(common.AlertWebhook);
            command.Options.Add(common.AlertSmtp);
            command.Options.Add(common.AlertEmail);
            return common;
        }

        public async Task<int> RunAsync(ParseResult parse, Func<BackupRunner, ParseResult, Task<int>> verb)
        {
            try
            {
                var profile = parse.GetValue(Profile);
                var credentials = string.IsNullOrEmpty(profile)
                    ? DefaultAWSCredentialsIdentityResolver.GetCredentials()
                    : new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var found)
                        ? found
                        : throw new ArgumentException($"AWS profile '{profile}' not found");
                var connection = new BackupConnection(
                    credentials,
                    parse.GetValue(Endpoint) ?? Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL"),
                    parse.GetValue(Region) ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? "us-east-1",
                    Env("AWS_CA_BUNDLE"));
                using var http = connection.Http();
                var runner = new BackupRunner(connection, Console.Out, Console.Error, TimeProvider.System, SecretsEnvironment.FromProcess(null), Alerts(parse, http));
                return await verb(runner, parse);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"cloudkeep backup: {e.Message}");
                return 2;
            }
            catch (AmazonClientException e)
            {
                await Console.Error.WriteLineAsync($"cloudkeep backup: {e.Message}");
                return 1;
            }
        }

        private List<IBackupAlertSink> Alerts(ParseResult parse, HttpClient http)
        {
            var sinks = new List<IBackupAlertSink>();
            if (parse.GetValue(AlertWebhook) is { } webhook)
            {
                sinks.Add(Uri.TryCreate(webhook, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                    ? new WebhookAlertSink(http, url)
                    : throw new ArgumentException($"--alert-webhook must be an http(s) URL, not '{webhook}'"));
            }

            if (parse.GetValue(AlertSmtp) is { } smtp)
            {
                var hostPort = smtp.Split(':', 2);
                var addresses = parse.GetValue(AlertEmail)?.Split(',', 2);
                if (hostPort.Length != 2 || !int.TryParse(hostPort[1], System.Globalization.CultureInfo.InvariantCulture, out var port) || addresses is not { Length: 2 })
                {
                    throw new ArgumentException("--alert-smtp takes HOST:PORT and needs --alert-email FROM,TO");
                }

                sinks.Add(new SmtpAlertSink(hostPort[0], port, addresses[0], addresses[1]));
            }

            return sinks;
        }

        private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
    }
}
