using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.CloudWatch;

/// <summary>
/// botocore speaks CloudWatch's json protocol (its first choice of the model's protocols); to drive the
/// same real client over rpc-v2-cbor and query, a copy of the model naming only that protocol is put
/// on AWS_DATA_PATH, which botocore reads before its own data.
/// </summary>
public static class CloudWatchProtocols
{
    public static readonly string[] All = ["json", "smithy-rpc-v2-cbor", "query"];

    private static readonly Lazy<string> Root = new(Build);

    /// <summary>The AWS_DATA_PATH directory making botocore use <paramref name="protocol"/>; null for its own choice (json).</summary>
    public static string? DataPath(string protocol) => protocol == "json" ? null : Path.Combine(Root.Value, protocol);

    /// <summary>Runs a boto3 script with `cw`, a CloudWatch client speaking <paramref name="protocol"/>; the script prints one JSON document.</summary>
    public static Task<JsonElement> Boto3Async(TestServer server, string protocol, string script)
    {
        ArgumentNullException.ThrowIfNull(server);
        var path = DataPath(protocol);
        var setup = (path is null ? "" : $"os.environ['AWS_DATA_PATH'] = {JsonSerializer.Serialize(path)}\n")
            + "cw = boto3.client('cloudwatch', endpoint_url=ENDPOINT)\n"
            + "def code(call, **kw):\n"
            + "    try:\n"
            + "        call(**kw)\n"
            + "        return 'ok'\n"
            + "    except cw.exceptions.ClientError as e:\n"
            + "        return e.response['Error']['Code']\n";
        return Boto3.RunAsync(server, setup + script);
    }

    /// <summary>The AWS CLI speaking <paramref name="protocol"/>; its exit code, output and error text.</summary>
    public static Task<ProcessRunner.Result> CliAsync(TestServer server, string protocol, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(server);
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey,
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_PAGER"] = "",
            ["AWS_MAX_ATTEMPTS"] = "1",
            ["AWS_DATA_PATH"] = DataPath(protocol),
        };
        return ProcessRunner.RunAsync("aws", ["--endpoint-url", server.Endpoint, "--output", "json", "cloudwatch", .. arguments], environment, TimeSpan.FromSeconds(60));
    }

    private static string Build()
    {
        var directory = Directory.CreateTempSubdirectory("cloudkeep-cw-models-").FullName;
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "Cloudkeep.slnx")))
        {
            repository = repository.Parent!;
        }

        using var file = File.OpenRead(Path.Combine(repository.FullName, "models", "monitoring-2010-08-01.json.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var model = JsonNode.Parse(gzip)!.AsObject();
        foreach (var protocol in All.Skip(1))
        {
            var copy = model.DeepClone().AsObject();
            copy["metadata"]!["protocol"] = protocol;
            copy["metadata"]!["protocols"] = new JsonArray(protocol);
            var target = Path.Combine(directory, protocol, "cloudwatch", "2010-08-01");
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "service-2.json"), copy.ToJsonString());
        }

        return directory;
    }
}
