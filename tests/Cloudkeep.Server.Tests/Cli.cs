using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>The AWS CLI as one principal: runs a command and parses its JSON, or returns its error text.</summary>
public sealed record Cli(string Endpoint, string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public static Cli Root(TestServer server) => new(server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);

    public async Task<JsonElement> RunAsync(params string[] arguments)
    {
        var result = await AwsCli.RunWithSessionAsync(Endpoint, AccessKeyId, SecretAccessKey, SessionToken, arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardOutput.Trim().Length == 0 ? default : JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    /// <summary>Runs a command that must fail; returns the CLI's error text (it names the code and message).</summary>
    public async Task<string> FailAsync(params string[] arguments)
    {
        var result = await AwsCli.RunWithSessionAsync(Endpoint, AccessKeyId, SecretAccessKey, SessionToken, arguments);
        Assert.True(result.ExitCode != 0, $"aws {string.Join(' ', arguments)} should have failed: {result.StandardOutput}");
        return result.StandardError;
    }

    public async Task<Cli> CreateUserWithKeyAsync(string userName, params string[] groups)
    {
        await RunAsync("iam", "create-user", "--user-name", userName);
        foreach (var group in groups)
        {
            await RunAsync("iam", "add-user-to-group", "--user-name", userName, "--group-name", group);
        }

        var key = (await RunAsync("iam", "create-access-key", "--user-name", userName)).GetProperty("AccessKey");
        return new Cli(Endpoint, key.GetProperty("AccessKeyId").GetString()!, key.GetProperty("SecretAccessKey").GetString()!);
    }
}
