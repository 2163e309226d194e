using Cloudkeep.Server.Alerts;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Alerts;

/// <summary>The record step feeds the alert rules: a dangerous call made through the API raises its alert, delivered without anything else wired.</summary>
public sealed class RecordedEventAlertTests
{
    [Fact]
    public async Task MfaDeviceDeactivatedThroughTheApi_RaisesItsAlert_AndRootKeyUseAlertsOncePerQuietPeriod()
    {
        await using var server = await TestServer.StartAsync();
        var root = Cli.Root(server);
        await root.RunAsync("iam", "create-user", "--user-name", "alice");
        using var directory = new TempDirectory();
        var seedFile = Path.Combine(directory.Path, "seed.txt");
        var device = (await root.RunAsync("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice", "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")).GetProperty("VirtualMFADevice");
        var seed = (await File.ReadAllTextAsync(seedFile)).Trim();
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(seed));
        var now = DateTime.UtcNow;
        await root.RunAsync("iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", device.GetProperty("SerialNumber").GetString()!,
            "--authentication-code1", totp.ComputeTotp(now), "--authentication-code2", totp.ComputeTotp(now.AddSeconds(30)));
        await root.RunAsync("iam", "deactivate-mfa-device", "--user-name", "alice", "--serial-number", device.GetProperty("SerialNumber").GetString()!);

        var outbox = AlertSinks.OutboxDirectory(server.DataDirectory);
        string[] mails = [];
        for (var i = 0; i < 150 && !mails.Any(m => m.Contains("MFA device deactivated or deleted", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
            mails = Directory.Exists(outbox) ? [.. Directory.GetFiles(outbox, "alert-*.eml").Select(File.ReadAllText)] : [];
        }

        Assert.Contains(mails, m => m.Contains("MFA device deactivated or deleted", StringComparison.Ordinal));
        Assert.Single(mails, m => m.Contains("Root access key used", StringComparison.Ordinal));
        Assert.DoesNotContain(mails, m => m.Contains(seed, StringComparison.Ordinal));
    }
}
