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

    /// <summary>
    /// A bad-input table through boto3: after <paramref name="prelude"/> (clients and helpers; `botocore` is imported),
    /// each case's call (`client.method, Arg=...`) is made once, and must answer its expected error code, never a 500.
    /// </summary>
    public static async Task AssertErrorTableAsync(TestServer server, string prelude, IReadOnlyList<(string Case, string Call, string Expected)> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cases = string.Join(",\n", table.Select(c => $"    {JsonSerializer.Serialize(c.Case)}: code({c.Call})"));
        var result = await RunAsync(server, $$"""
            import botocore.config, botocore.exceptions
            {{prelude}}
            def code(call, **kwargs):
                try:
                    call(**kwargs)
                    return 'no error'
                except botocore.exceptions.ClientError as e:
                    return e.response['Error']['Code'] + ' ' + str(e.response['ResponseMetadata']['HTTPStatusCode'])
            print(json.dumps({
            {{cases}}
            }))
            """);
        foreach (var (name, _, expected) in table)
        {
            var answered = result.GetProperty(name).GetString()!;
            Assert.True(answered.StartsWith(expected + " ", StringComparison.Ordinal), $"{name}: expected {expected}, got {answered}");
            Assert.False(answered.EndsWith(" 500", StringComparison.Ordinal), name);
        }
    }
}
