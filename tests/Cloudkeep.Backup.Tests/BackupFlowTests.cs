using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Backup.Tests;

/// <summary>
/// The seed's nightly flow against a real PostgreSQL and the example estate: the CI role dumps into the backups
/// bucket by a pre-signed POST, the dump is verified, the database lost and restored identically.
/// </summary>
[Collection(BackupEstateTests.Name)]
public sealed class BackupFlowTests(BackupEstate estate)
{
    [Fact]
    public async Task Run_AsTheCiRole_UploadsVerifiesAndRestoresTheDatabaseIdentically()
    {
        var database = await ShopDatabase.CreateAsync();
        var before = await ShopDatabase.FingerprintAsync(database);
        var (runner, output, error) = estate.Runner();

        var exit = await runner.RunAsync(new BackupRunArguments(database, BackupEstate.Bucket, estate.PublicKeyFile, "production-{yyyyMMddHHmmss}-flow.sql.gz.gpg") { PrivateKeyFile = estate.PrivateKeyFile }, CancellationToken.None);

        Assert.True(exit == 0, output.ToString() + error);
        var key = output.ToString().Split(' ')[1].Split('/', 4)[3];
        Assert.Matches(@"^production-\d{14}-flow\.sql\.gz\.gpg$", key);
        Assert.Contains("verified s3://", output.ToString(), StringComparison.Ordinal);

        // The backups account owns the dump (bucket-owner-full-control), and the CI role may put but not delete.
        using var s3 = estate.S3(estate.CiRole);
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.DeleteObjectAsync(BackupEstate.Bucket, key));
        Assert.Equal("AccessDenied", denied.ErrorCode);

        await ShopDatabase.DropAsync(database);
        var restored = await PostgresDatabase();
        var (restorer, restoreOutput, restoreError) = estate.Runner();
        exit = await restorer.RestoreAsync(new BackupRestoreArguments(BackupEstate.Bucket, key, restored, estate.PrivateKeyFile), CancellationToken.None);

        Assert.True(exit == 0, restoreOutput.ToString() + restoreError);
        Assert.Equal(before, await ShopDatabase.FingerprintAsync(restored));
    }

    [Fact]
    public async Task Restore_LatestWithCleaningAndRedump_TheWeeklyCleanedDumpFlow()
    {
        var database = await ShopDatabase.CreateAsync(suppliers: 50);
        var (runner, output, error) = estate.Runner();
        Assert.True(await runner.RunAsync(new BackupRunArguments(database, BackupEstate.Bucket, estate.PublicKeyFile, "weekly-{yyyyMMddHHmmss}.sql.gz.gpg"), CancellationToken.None) == 0, output.ToString() + error);
        var cleaning = Path.Combine(estate.Work, "cleaning.sql");
        await File.WriteAllTextAsync(cleaning, "UPDATE suppliers SET name = 'Supplier ' || id, duns = NULL;\n");
        var scratch = await PostgresDatabase();

        (runner, output, error) = estate.Runner();
        var exit = await runner.RestoreAsync(new BackupRestoreArguments(BackupEstate.Bucket, "latest", scratch, estate.PrivateKeyFile)
        {
            Prefix = "weekly-",
            ThenSql = cleaning,
            RedumpBucket = BackupEstate.Bucket,
            RedumpName = "cleaned-weekly-{yyyyMMddHHmmss}.sql.gz.gpg",
            RedumpRecipientKeyFile = estate.PublicKeyFile,
        }, CancellationToken.None);

        Assert.True(exit == 0, output.ToString() + error);
        Assert.Contains("ran " + cleaning, output.ToString(), StringComparison.Ordinal);
        var cleanedKey = output.ToString().Split('\n').Single(l => l.StartsWith("uploaded ", StringComparison.Ordinal)).Split(' ')[1].Split('/', 4)[3];
        var check = await PostgresDatabase();
        (runner, output, error) = estate.Runner();
        Assert.True(await runner.RestoreAsync(new BackupRestoreArguments(BackupEstate.Bucket, cleanedKey, check, estate.PrivateKeyFile), CancellationToken.None) == 0, output.ToString() + error);
        Assert.Equal(await ShopDatabase.FingerprintAsync(scratch), await ShopDatabase.FingerprintAsync(check));
        Assert.NotEqual(await ShopDatabase.FingerprintAsync(database), await ShopDatabase.FingerprintAsync(check));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("tampered")]
    public async Task Restore_DamagedDump_RefusedWithAClearErrorAndNothingRestored(string damage)
    {
        var database = await ShopDatabase.CreateAsync(suppliers: 50);
        var (runner, output, error) = estate.Runner();
        Assert.True(await runner.RunAsync(new BackupRunArguments(database, BackupEstate.Bucket, estate.PublicKeyFile, $"good-{damage}-{{yyyyMMddHHmmss}}.sql.gz.gpg"), CancellationToken.None) == 0, error.ToString());
        var good = output.ToString().Split(' ')[1].Split('/', 4)[3];
        using var s3 = estate.S3(estate.CiRole);
        byte[] bytes;
        using (var response = await s3.GetObjectAsync(BackupEstate.Bucket, good))
        using (var copy = new MemoryStream())
        {
            await response.ResponseStream.CopyToAsync(copy);
            bytes = copy.ToArray();
        }

        var damaged = damage == "truncated" ? bytes[..(bytes.Length * 2 / 3)] : Flip(bytes, bytes.Length / 2);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = BackupEstate.Bucket, Key = good + "." + damage, InputStream = new MemoryStream(damaged), CannedACL = S3CannedACL.BucketOwnerFullControl });
        var target = await PostgresDatabase();

        (runner, output, error) = estate.Runner();
        var exit = await runner.RestoreAsync(new BackupRestoreArguments(BackupEstate.Bucket, good + "." + damage, target, estate.PrivateKeyFile), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(error.ToString(), "truncated or has been tampered with|tampered with: its OpenPGP integrity check"), error.ToString());
        Assert.DoesNotContain("restored", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await ShopDatabase.TableCountAsync(target));
    }

    [Fact]
    public async Task Run_PostUsedAfterSixHundredSeconds_RefusedAsExpired()
    {
        var database = await ShopDatabase.CreateAsync(suppliers: 5);
        try
        {
            // The policy is signed at the runner's time; the server is 601 s later when the body arrives.
            estate.Clock.Offset = TimeSpan.FromSeconds(601);
            var (runner, output, error) = estate.Runner(time: TimeProvider.System);

            var exit = await runner.RunAsync(new BackupRunArguments(database, BackupEstate.Bucket, estate.PublicKeyFile, "expired-{yyyyMMddHHmmss}.sql.gz.gpg"), CancellationToken.None);

            Assert.Equal(1, exit);
            Assert.Contains("Policy expired", error.ToString(), StringComparison.Ordinal);

            // 599 s later it is still good.
            estate.Clock.Offset = TimeSpan.FromSeconds(599);
            (runner, output, error) = estate.Runner(time: TimeProvider.System);
            Assert.True(await runner.RunAsync(new BackupRunArguments(database, BackupEstate.Bucket, estate.PublicKeyFile, "in-time-{yyyyMMddHHmmss}.sql.gz.gpg"), CancellationToken.None) == 0, error.ToString());
        }
        finally
        {
            estate.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("private")]
    public async Task Run_WithoutBucketOwnerFullControl_RefusedByTheBucketPolicy(string? acl)
    {
        var database = await ShopDatabase.CreateAsync(suppliers: 5);
        var (runner, output, error) = estate.Runner();

        var exit = await runner.RunAsync(new BackupRunArguments(database, BackupEstate.Bucket, estate.PublicKeyFile, $"no-acl-{acl}-{{yyyyMMddHHmmss}}.sql.gz.gpg") { Acl = acl }, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("(403): AccessDenied", error.ToString(), StringComparison.Ordinal);
        using var s3 = estate.S3(estate.CiRole);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = BackupEstate.Bucket, Prefix = $"no-acl-{acl}-" });
        Assert.Empty(listed.S3Objects ?? []);
    }

    [Fact]
    public async Task Run_PgDumpFails_NothingStoredAndAnAlertSent()
    {
        var database = await PostgresDatabase();
        await ShopDatabase.DropAsync(database);
        var alerts = new RecordingAlerts();
        var (runner, output, error) = estate.Runner(alerts: alerts);

        var exit = await runner.RunAsync(new BackupRunArguments(database, BackupEstate.Bucket, estate.PublicKeyFile, "lost-{yyyyMMddHHmmss}.sql.gz.gpg"), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("pg_dump failed", error.ToString(), StringComparison.Ordinal);
        var alert = Assert.Single(alerts.Sent);
        Assert.Contains("pg_dump failed", alert.Message, StringComparison.Ordinal);
        using var s3 = estate.S3(estate.CiRole);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = BackupEstate.Bucket, Prefix = "lost-" })).S3Objects ?? []);
    }

    [Fact]
    public async Task List_NewestFirstWithSizeAndAge()
    {
        using var s3 = estate.S3(estate.CiRole);
        foreach (var name in new[] { "list-a.sql.gz.gpg", "list-b.sql.gz.gpg" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = BackupEstate.Bucket, Key = name, ContentBody = new string('x', 1234), CannedACL = S3CannedACL.BucketOwnerFullControl });
            await Task.Delay(1100);
        }

        var (runner, output, error) = estate.Runner();
        Assert.True(await runner.ListAsync(BackupEstate.Bucket, "list-", CancellationToken.None) == 0, error.ToString());

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("list-b.sql.gz.gpg", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("list-a.sql.gz.gpg", lines[1], StringComparison.Ordinal);
        Assert.Contains("1,234 B", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("0m", lines[0], StringComparison.Ordinal);
    }

    private static async Task<string> PostgresDatabase() => await Cloudkeep.Testing.PostgresServer.CreateDatabaseAsync();

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x40;
        return copy;
    }

    private sealed class RecordingAlerts : IBackupAlertSink
    {
        public List<BackupAlert> Sent { get; } = [];

        public Task SendAsync(BackupAlert alert, CancellationToken cancellationToken)
        {
            Sent.Add(alert);
            return Task.CompletedTask;
        }
    }
}
