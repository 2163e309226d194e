using Amazon.Runtime.Credentials;
using Cloudkeep.Backup;
using Cloudkeep.Secrets.Keys;
using Cloudkeep.Server.Hosting;

namespace Cloudkeep.Cli.Commands;

/// <summary>
/// <c>serve --backup-jobs FILE</c>: the database backup jobs run beside the server, on their cron schedules, one at a
/// time, as <c>cloudkeep backup run</c> would run them (the same runner, the credentials of the SDK's chain), against
/// AWS_ENDPOINT_URL or else this server. Each outcome becomes the server's metrics and a line on standard output.
/// </summary>
internal sealed class BackupJobsHost(IReadOnlyList<BackupJob> jobs, CloudkeepServer server) : IBackupJobObserver
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var endpoint = Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL") ?? server.Address.ToString().TrimEnd('/');
        var connection = new BackupConnection(
            DefaultAWSCredentialsIdentityResolver.GetCredentials(),
            endpoint,
            Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? "us-east-1",
            Env("AWS_CA_BUNDLE") ?? (server.Certificate is { SelfSigned: true } certificate ? certificate.CertificateFile : null));
        var scheduler = new BackupScheduler(jobs, async (job, token) =>
        {
            using var http = connection.Http();
            IBackupAlertSink[] alerts = job.AlertWebhook is { } url ? [new WebhookAlertSink(http, url)] : [];
            var runner = new BackupRunner(connection, Console.Out, Console.Error, TimeProvider.System, SecretsEnvironment.FromProcess(null), alerts);
            Console.Out.WriteLine($"cloudkeep: backup job {job.Name} starting");
            return await runner.RunAsync(job.Run, token);
        }, TimeProvider.System, this);
        return scheduler.RunAsync(cancellationToken);
    }

    public void Completed(string job, bool succeeded, TimeSpan duration, DateTimeOffset finished)
    {
        server.RecordJobRun(job, succeeded, duration, finished);
        Console.Out.WriteLine($"cloudkeep: backup job {job} {(succeeded ? "succeeded" : "failed")} in {duration.TotalSeconds:F1} s");
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
