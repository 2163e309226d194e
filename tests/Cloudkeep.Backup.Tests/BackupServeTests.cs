using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Backup.Tests;

/// <summary><c>cloudkeep serve --backup-jobs</c> as an operator runs it: the job runs on its schedule against the server itself and its outcome shows in the metrics.</summary>
[Collection(BackupEstateTests.Name)]
public sealed partial class BackupServeTests(BackupEstate estate)
{
    [GeneratedRegex(@"ready on (http://127\.0\.0\.1:\d+)/")]
    private static partial Regex ReadyOn();

    [Fact]
    public async Task Serve_WithABackupJob_RunsItOnScheduleAndCountsItInTheMetrics()
    {
        using var data = new TempDirectory("cloudkeep-backup-serve-");
        var database = await ShopDatabase.CreateAsync(suppliers: 10);
        var jobs = Path.Combine(data.Path, "jobs.json");
        await File.WriteAllTextAsync(jobs, $$"""
            {"jobs": [{"name": "nightly", "schedule": "*/2 * * * * *", "database": "{{database}}", "bucket": "served-backups",
                       "recipient": "{{estate.PublicKeyFile}}", "object": "nightly-{yyyyMMddHHmmssfff}.sql.gz.gpg", "verifyWith": "{{estate.PrivateKeyFile}}"}]}
            """);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"), "serve", "--data", Path.Combine(data.Path, "data"), "--backup-jobs", jobs, "--no-request-log" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["CLOUDKEEP_LISTEN"] = "127.0.0.1:0";
        info.Environment["CLOUDKEEP_ROOT_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId;
        info.Environment["CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey;
        info.Environment["AWS_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey;
        info.Environment["AWS_REGION"] = "us-east-1";
        info.Environment["AWS_CONFIG_FILE"] = "/nonexistent";
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent";
        info.Environment["SOPS_AGE_KEY"] = "AGE-SECRET-KEY-1NJT5YCS2LWU4V4QAJQ6R4JNU7LXPDX602DZ9NUFANVU5GDTGUWCQ5T59M6";
        foreach (var name in new[] { "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CA_BUNDLE" })
        {
            info.Environment.Remove(name);
        }

        using var process = Process.Start(info)!;
        try
        {
            var lines = new List<string>();
            var endpoint = new TaskCompletionSource<string>();
            var succeeded = new TaskCompletionSource();
            var reader = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }

                    if (ReadyOn().Match(line) is { Success: true } ready)
                    {
                        endpoint.TrySetResult(ready.Groups[1].Value);
                    }

                    if (line.Contains("backup job nightly succeeded", StringComparison.Ordinal))
                    {
                        succeeded.TrySetResult();
                    }
                }
            });
            var url = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using (var s3 = new AmazonS3Client(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonS3Config { ServiceURL = url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
            {
                await s3.PutBucketAsync("served-backups");
            }

            await succeeded.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(new Uri(url + "/_cloudkeep/metrics"));
            Assert.Matches("cloudkeep_backup_job_runs_total\\{job=\"nightly\",outcome=\"succeeded\"\\} [1-9]", metrics);
            Assert.Matches("cloudkeep_backup_job_last_success_timestamp_seconds\\{job=\"nightly\"\\} 1\\d{9}", metrics);
            lock (lines)
            {
                Assert.Contains(lines, l => l.StartsWith("verified s3://served-backups/nightly-", StringComparison.Ordinal));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
