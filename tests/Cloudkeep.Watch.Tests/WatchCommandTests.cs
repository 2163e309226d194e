using System.Text.Json.Nodes;
using Cloudkeep.Testing;

namespace Cloudkeep.Watch.Tests;

/// <summary>`cloudkeep watch` as a process, against a fresh server with the root key it starts with.</summary>
public sealed class WatchCommandTests
{
    private static Task<ProcessRunner.Result> WatchAsync(TestServer server, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"), "watch", .. arguments], new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey,
            ["AWS_ENDPOINT_URL"] = server.Endpoint,
            ["AWS_REGION"] = "eu-west-2",
            ["AWS_PROFILE"] = null,
        }, TimeSpan.FromMinutes(2));

    [Fact]
    public async Task Watch_RootKeyOnAFreshServer_CriticalFindingAndExitCodes()
    {
        await using var server = await TestServer.StartAsync();

        var json = await WatchAsync(server, "--json");
        Assert.True(json.ExitCode == 1, json.StandardOutput + json.StandardError);
        var findings = JsonNode.Parse(json.StandardOutput)!["findings"]!.AsArray();
        Assert.Contains(findings, f => f!["id"]!.GetValue<string>() == "ROOT_ACCESS_KEY" && f["severity"]!.GetValue<string>() == "Critical" && f["account"]!.GetValue<string>() == server.AccountId);
        Assert.Contains(findings, f => f!["id"]!.GetValue<string>() == "PASSWORD_POLICY_MISSING");

        // A fresh server has no trail: the default region is not recorded.
        Assert.Contains(findings, f => f!["id"]!.GetValue<string>() == "TRAIL_OFF" && f["resource"]!.GetValue<string>() == $"arn:aws:cloudtrail:eu-west-2:{server.AccountId}:trail/*");

        // Nothing here is above critical, so --fail-on critical still fails; a table is the default output.
        var table = await WatchAsync(server, "--fail-on", "critical");
        Assert.Equal(1, table.ExitCode);
        Assert.Contains("ROOT_ACCESS_KEY", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TRAIL_OFF", table.StandardOutput, StringComparison.Ordinal);

        var missingEstate = await WatchAsync(server, "--estate", "/nonexistent/estate.yaml");
        Assert.Equal(2, missingEstate.ExitCode);
        Assert.StartsWith("cloudkeep watch:", missingEstate.StandardError, StringComparison.Ordinal);
    }
}
