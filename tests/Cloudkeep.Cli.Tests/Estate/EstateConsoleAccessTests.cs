using Cloudkeep.Cli.Estate;
using Cloudkeep.Testing;

namespace Cloudkeep.Cli.Tests.Estate;

/// <summary>console: true gives a user a login profile whose generated first password goes only to the 0600 secrets file.</summary>
public sealed class EstateConsoleAccessTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private EstateHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _harness = new EstateHarness(_server);
    }

    public async Task DisposeAsync()
    {
        _harness.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Apply_ConsoleUser_WritesThePasswordOnlyToAPrivateSecretsFile()
    {
        var file = _harness.Write("estate.yaml", "accounts:\n  main:\n    management: true\n    users:\n      alice: {console: true}\n");

        var (exit, output, error) = await _harness.ApplyAsync(file);

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
        var iam = new IamClient(http, new Uri(_server.Endpoint), _harness.Credentials, TimeProvider.System);
        var profile = await iam.CallAsync("GetLoginProfile", [new("UserName", "alice")], CancellationToken.None);
        Assert.Equal("true", IamClient.Descendant(profile, "PasswordResetRequired"));

        var again = await _harness.ApplyAsync(file);
        Assert.Equal(0, again.Exit);
        Assert.Contains("No changes", again.Output, StringComparison.Ordinal);
        Assert.Equal(secrets, File.ReadAllText(secretsPath));
    }

    [Fact]
    public async Task Plan_ConsoleRemoved_PlansTheLoginProfileAway()
    {
        var file = _harness.Write("estate.yaml", "accounts:\n  main:\n    management: true\n    users:\n      alice: {console: true}\n");
        Assert.Equal(0, (await _harness.ApplyAsync(file)).Exit);
        var off = _harness.Write("off.yaml", "accounts:\n  main:\n    management: true\n    users:\n      alice: {console: false}\n");

        var (exit, output, _) = await _harness.PlanAsync(off);

        Assert.Equal(2, exit);
        Assert.Contains("    console: true -> false", output, StringComparison.Ordinal);
        Assert.Equal(0, (await _harness.ApplyAsync(off)).Exit);
        Assert.Equal(0, (await _harness.PlanAsync(off)).Exit);
    }
}
