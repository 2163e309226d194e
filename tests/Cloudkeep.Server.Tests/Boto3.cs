using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// boto3 as a client: runs a Python script that prints one JSON document and returns it parsed. The script sees
/// `boto3`, `json`, `os` and `ENDPOINT` (the server's URL); credentials and region come from the environment.
/// </summary>
internal static class Boto3
{
    public static Task<JsonElement> RunAsync(TestServer server, string script) =>
        RunAsync(server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, script);

    public static async Task<JsonElement> RunAsync(string endpoint, string accessKeyId, string secretAccessKey, string script)
    {
        var program = "import boto3, json, os\nENDPOINT = os.environ['CLOUDKEEP_ENDPOINT']\n" + script;
        var result = await AwsCli.ShellAsync(endpoint, accessKeyId, secretAccessKey, Path.GetTempPath(), "python3 - <<'PY'\n" + program + "\nPY");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var first = result.StandardOutput.TrimStart();
        Assert.True(first.StartsWith('{') || first.StartsWith('['), "boto3 printed no JSON document: " + result.StandardOutput + result.StandardError);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }
}
