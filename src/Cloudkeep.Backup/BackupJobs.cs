using System.Text.Json;
using Cronos;

namespace Cloudkeep.Backup;

/// <summary>One scheduled <c>backup run</c>: when (a cron expression, UTC), and the arguments the command takes.</summary>
public sealed record BackupJob(string Name, CronExpression Schedule, BackupRunArguments Run)
{
    /// <summary>Alert sinks for this job's failures: a webhook URL.</summary>
    public Uri? AlertWebhook { get; init; }
}

/// <summary>
/// The jobs file of <c>serve --backup-jobs</c>, JSON:
/// <c>{"jobs": [{"name": "production", "schedule": "0 3 * * *", "database": "postgres://...", "bucket": "...",
/// "recipient": "key.asc", "object": "production-{yyyyMMddHHmm}.sql.gz.gpg", "verifyWith": "key.sops.yaml",
/// "alertWebhook": "https://..."}]}</c>. Every problem in the file is reported at once.
/// </summary>
public static class BackupJobsFile
{
    public static IReadOnlyList<BackupJob> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"the backup jobs file {path} cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    public static IReadOnlyList<BackupJob> Parse(string json, string source)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BackupException($"{source}: not JSON: {e.Message}", e);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jobs", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new BackupException($"{source}: expected {{\"jobs\": [...]}}");
        }

        var problems = new List<string>();
        var jobs = new List<BackupJob>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var where = $"jobs[{index++}]";
            string? Field(string name, bool required = true)
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }

                if (required)
                {
                    problems.Add($"{where}: \"{name}\" is required (a non-empty string)");
                }

                return null;
            }

            var name = Field("name");
            var schedule = Field("schedule");
            var database = Field("database");
            var bucket = Field("bucket");
            var recipient = Field("recipient");
            var objectName = Field("object");
            var verifyWith = Field("verifyWith", required: false);
            var webhook = Field("alertWebhook", required: false);
            if (name is not null && !names.Add(name))
            {
                problems.Add($"{where}: the name \"{name}\" is used twice");
            }

            CronExpression? cron = null;
            if (schedule is not null)
            {
                try
                {
                    // Five fields as cron has them; a sixth, leading, field of seconds when given (tests, short intervals).
                    cron = CronExpression.Parse(schedule, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
                }
                catch (CronFormatException e)
                {
                    problems.Add($"{where}: \"schedule\" is not a cron expression (minute hour day month weekday): {e.Message}");
                }
            }

            Uri? webhookUrl = null;
            if (webhook is not null && (!Uri.TryCreate(webhook, UriKind.Absolute, out webhookUrl) || webhookUrl.Scheme is not ("http" or "https")))
            {
                problems.Add($"{where}: \"alertWebhook\" must be an http(s) URL");
            }

            if (name is not null && cron is not null && database is not null && bucket is not null && recipient is not null && objectName is not null)
            {
                jobs.Add(new BackupJob(name, cron, new BackupRunArguments(database, bucket, recipient, objectName) { PrivateKeyFile = verifyWith }) { AlertWebhook = webhookUrl });
            }
        }

        return problems.Count > 0 ? throw new BackupException($"{source}: {string.Join("; ", problems)}") : jobs;
    }
}

/// <summary>What the scheduler tells about each run (the server turns it into metrics).</summary>
public interface IBackupJobObserver
{
    void Completed(string job, bool succeeded, TimeSpan duration, DateTimeOffset finished);
}

/// <summary>
/// Runs jobs at their cron times (UTC), one at a time: a job due while another runs waits for it, and
/// occurrences missed meanwhile are not made up (the next run is the next occurrence after the wait).
/// </summary>
public sealed class BackupScheduler(IReadOnlyList<BackupJob> jobs, Func<BackupJob, CancellationToken, Task<int>> run, TimeProvider time, IBackupJobObserver observer)
{
    /// <summary>Task.Delay's limit is about 49 days; longer waits are taken in steps.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var next = jobs.Select(job => (Job: job, At: job.Schedule.GetNextOccurrence(now, TimeZoneInfo.Utc))).ToList();
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = next.Where(n => n.At is not null).OrderBy(n => n.At).ThenBy(n => n.Job.Name, StringComparer.Ordinal).FirstOrDefault();
            if (due.Job is null)
            {
                return;
            }

            var wait = due.At!.Value - time.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < LongestWait ? wait : LongestWait, time, cancellationToken);
                continue;
            }

            var started = time.GetUtcNow();
            int exit;
            try
            {
                exit = await run(due.Job, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BackupException or ArgumentException or InvalidOperationException or IOException or HttpRequestException)
            {
                // The runner reports its own failures; what escapes it still counts as a failed run, and the schedule goes on.
                exit = 1;
            }

            var finished = time.GetUtcNow();
            observer.Completed(due.Job.Name, exit == 0, finished - started, finished);
            var index = next.FindIndex(n => ReferenceEquals(n.Job, due.Job));
            var after = finished.UtcDateTime > due.At.Value ? finished.UtcDateTime : due.At.Value;
            next[index] = (due.Job, due.Job.Schedule.GetNextOccurrence(after, TimeZoneInfo.Utc));
        }
    }
}
