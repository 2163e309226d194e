using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>console: true gives a user a login profile whose generated first password goes only to the 0600 secrets file.</summary>
public sealed class EstateConsoleAccessTests : EstateServerTest
{

    [Fact]
    public async Task Apply_ConsoleUser_WritesThePasswordOnlyToAPrivateSecretsFile()
    {
        var file = Harness.Write("estate.yaml", "accounts:\n  main:\n    management: true\n    users:\n      alice: {console: true}\n");

        var (exit, output, error) = await Harness.ApplyAsync(file);

        Assert.True(exit == 0, output + error);
        var secretsPath = file + ".secrets.yaml";
        Assert.Contains($"1 secret(s) written to {secretsPath}", output, StringComparison.Ordinal);
        var secrets = File.ReadAllText(secretsPath);
        var password = secrets[(secrets.IndexOf("initialPassword: '", StringComparison.Ordinal) + "initialPassword: '".Length)..].Split("'}")[0];
        Assert.Equal(24, password.Replace("''", "'", StringComparison.Ordinal).Length);
        Assert.DoesNotContain(password, output + error, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretsPath));
        }

        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);
        var profile = await iam.CallAsync("GetLoginProfile", [new("UserName", "alice")], CancellationToken.None);
        Assert.Equal("true", IamClient.Descendant(profile, "PasswordResetRequired"));

        var again = await Harness.ApplyAsync(file);
        Assert.Equal(0, again.Exit);
        Assert.Contains("No changes", again.Output, StringComparison.Ordinal);
        Assert.Equal(secrets, File.ReadAllText(secretsPath));
    }

    [Fact]
    public async Task Plan_ConsoleRemoved_PlansTheLoginProfileAway()
    {
        var file = Harness.Write("estate.yaml", "accounts:\n  main:\n    management: true\n    users:\n      alice: {console: true}\n");
        Assert.Equal(0, (await Harness.ApplyAsync(file)).Exit);
        var off = Harness.Write("off.yaml", "accounts:\n  main:\n    management: true\n    users:\n      alice: {console: false}\n");

        var (exit, output, _) = await Harness.PlanAsync(off);

        Assert.Equal(2, exit);
        Assert.Contains("    console: true -> false", output, StringComparison.Ordinal);
        Assert.Equal(0, (await Harness.ApplyAsync(off)).Exit);
        Assert.Equal(0, (await Harness.PlanAsync(off)).Exit);
    }
}
