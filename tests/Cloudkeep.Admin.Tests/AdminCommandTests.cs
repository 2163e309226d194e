using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Admin.Tests;

/// <summary>The built <c>cloudkeep admin</c> as an operator runs it, killed mid-backup, and given damaged archives.</summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly TempDirectory _work = new("cloudkeep-admin-");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Backup_KilledWithSigkill_LeavesNoArchiveThatRestoreAccepts()
    {
        var data = Path.Combine(_work.Path, "data");
        var archives = Path.Combine(_work.Path, "archives");
        var key = KeyFile();
        await using var server = await TestServer.StartAsync(dataDirectory: data);
        using (var s3 = EstateSeed.S3(server))
        {
            await s3.PutBucketAsync("large");
            for (var i = 0; i < 4; i++)
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "large", Key = $"part-{i}", InputStream = new MemoryStream(RandomNumberGenerator.GetBytes(8 << 20)) });
            }
        }

        // The blob the archive copies last becomes a named pipe: the backup blocks opening it, as on a stalled disk,
        // with the other three already in its archive, and is killed there.
        var last = Directory.EnumerateFiles(Path.Combine(data, "blobs"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/blobs/tmp/", StringComparison.Ordinal)).OrderBy(Path.GetFileName, StringComparer.Ordinal).Last();
        File.Delete(last);
        Assert.Equal(0, (await ProcessRunner.RunAsync("mkfifo", [last])).ExitCode);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Cloudkeep(), "admin", "backup", "--to", archives, "--key-file", key, "--data", data])
        {
            start.ArgumentList.Add(argument);
        }

        using (var backup = Process.Start(start)!)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!backup.HasExited && DateTime.UtcNow < deadline && !(Directory.Exists(archives) && Directory.GetFiles(archives).Any(f => new FileInfo(f).Length > (16 << 20))))
            {
                await Task.Delay(20);
            }

            if (backup.HasExited)
            {
                Assert.Fail("the backup ended before it could be killed: " + await backup.StandardError.ReadToEndAsync());
            }

            backup.Kill();
            await backup.WaitForExitAsync();
        }

        var left = Directory.GetFiles(archives);
        Assert.DoesNotContain(left, f => !Path.GetFileName(f).StartsWith('.'));
        var partial = Assert.Single(left);
        Assert.EndsWith(".ckarchive.partial", partial, StringComparison.Ordinal);

        var target = Path.Combine(_work.Path, "restored");
        var restore = await RunAsync("admin", "restore", "--from", partial, "--key-file", key, "--data", target);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("cloudkeep admin: the archive is truncated", restore.StandardError, StringComparison.Ordinal);
        AssertNothingWritten(target);
    }

    [Fact]
    public async Task Restore_TamperedOrTruncatedArchive_IsRefusedWithTheReasonAndWritesNothing()
    {
        var data = Path.Combine(_work.Path, "data");
        var archives = Path.Combine(_work.Path, "archives");
        var passphrase = Path.Combine(_work.Path, "passphrase");
        await File.WriteAllTextAsync(passphrase, "a long enough passphrase for the test\n");
        await using (var server = await TestServer.StartAsync(dataDirectory: data))
        {
            using var s3 = EstateSeed.S3(server);
            await s3.PutBucketAsync("docs");
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "docs", Key = "big", InputStream = new MemoryStream(RandomNumberGenerator.GetBytes(3 << 20)) });
            var backup = await RunAsync("admin", "backup", "--to", archives, "--passphrase-file", passphrase, "--data", data);
            Assert.True(backup.ExitCode == 0, backup.StandardOutput + backup.StandardError);
        }

        var archive = Assert.Single(Directory.GetFiles(archives));
        var intact = await RunAsync("admin", "restore", "--from", archive, "--passphrase-file", passphrase, "--verify-only");
        Assert.True(intact.ExitCode == 0, intact.StandardOutput + intact.StandardError);
        Assert.Contains("entries match the manifest's SHA-256 sums", intact.StandardOutput, StringComparison.Ordinal);

        var bytes = await File.ReadAllBytesAsync(archive);
        var tampered = Path.Combine(_work.Path, "tampered.ckarchive");
        var altered = (byte[])bytes.Clone();
        altered[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(tampered, altered);
        var truncated = Path.Combine(_work.Path, "truncated.ckarchive");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length - 1000)]);

        foreach (var (file, reason) in new[] { (tampered, "the archive was altered: chunk"), (truncated, "the archive is truncated or was altered") })
        {
            var target = Path.Combine(_work.Path, "restored-" + Path.GetFileNameWithoutExtension(file));
            var restore = await RunAsync("admin", "restore", "--from", file, "--passphrase-file", passphrase, "--data", target, "--master-key-file", Path.Combine(data, "master.key"));

            Assert.Equal(1, restore.ExitCode);
            Assert.True(restore.StandardError.Contains("cloudkeep admin: " + reason, StringComparison.Ordinal), restore.StandardError);
            AssertNothingWritten(target);
        }

        var good = Path.Combine(_work.Path, "restored-good");
        var restored = await RunAsync("admin", "restore", "--from", archive, "--passphrase-file", passphrase, "--data", good, "--master-key-file", Path.Combine(data, "master.key"));
        Assert.True(restored.ExitCode == 0, restored.StandardOutput + restored.StandardError);
        await using var again = await TestServer.StartAsync(dataDirectory: good);
        using var restoredS3 = EstateSeed.S3(again);
        Assert.Equal(3 << 20, (await EstateSeed.ReadAsync(restoredS3, "docs", "big")).Length);
    }

    [Fact]
    public async Task Restore_WithAnotherMasterKey_IsRefusedBeforeWritingAnything()
    {
        var data = Path.Combine(_work.Path, "data");
        var archives = Path.Combine(_work.Path, "archives");
        var key = KeyFile();
        await using (var server = await TestServer.StartAsync(dataDirectory: data))
        {
            var backup = await RunAsync("admin", "backup", "--to", archives, "--key-file", key, "--data", data);
            Assert.True(backup.ExitCode == 0, backup.StandardOutput + backup.StandardError);
        }

        var wrongKey = Path.Combine(_work.Path, "other-master.key");
        await File.WriteAllTextAsync(wrongKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var target = Path.Combine(_work.Path, "restored");
        var restore = await RunAsync("admin", "restore", "--from", Directory.GetFiles(archives)[0], "--key-file", key, "--data", target, "--master-key-file", wrongKey);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is not the one this estate's secrets are sealed with", restore.StandardError, StringComparison.Ordinal);
        AssertNothingWritten(target);
    }

    private void AssertNothingWritten(string target)
    {
        Assert.False(Directory.Exists(target), $"{target} was made");
        Assert.Empty(Directory.GetDirectories(_work.Path, ".cloudkeep-restore-*"));
    }

    private string KeyFile()
    {
        var path = Path.Combine(_work.Path, "backup.key");
        File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        return path;
    }

    private static string Cloudkeep() => Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");

    private static Task<ProcessRunner.Result> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Cloudkeep(), .. arguments], new Dictionary<string, string?> { ["CLOUDKEEP_MASTER_KEY"] = null }, TimeSpan.FromSeconds(120));
}
