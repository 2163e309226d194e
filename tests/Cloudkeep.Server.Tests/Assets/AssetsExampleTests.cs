using Cloudkeep.Server.Assets;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Assets;

/// <summary>examples/digital-marketplace/documents: its mapping file loads, and flows.sh runs green against a server using it.</summary>
public sealed class AssetsExampleTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");

    private static string ExampleDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Cloudkeep.slnx not found above the test output."), "examples", "digital-marketplace", "documents");
    }

    [Fact]
    public void ExampleConfig_MapsTheSeedsExample()
    {
        var options = AssetsConfig.Load(Path.Combine(ExampleDirectory(), "assets.yaml"));
        Assert.Equal(["documents", "agreements", "communications", "submissions", "reports"], options.Buckets.Keys);
        Assert.True(AssetsMap.TryResolve(options, "/digital-outcomes-and-specialists-3/communications/data/opportunity-data.csv", out var target, out _));
        Assert.Equal("digitalmarketplace-communications-preview-preview", target.Bucket);
        Assert.True(AssetsMap.TryResolve(options, "/g-cloud-7/documents/92191/1234-pricing.pdf", out target, out _));
        Assert.Equal("digitalmarketplace-g7-draft-documents-preview-preview", target.Bucket);
    }

    [Fact]
    public async Task Flows_RunAgainstTheRouter()
    {
        var options = AssetsConfig.Load(Path.Combine(ExampleDirectory(), "assets.yaml"), listenOverride: "127.0.0.1:0");
        await using var server = await TestServer.StartAsync(assets: options);
        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(ExampleDirectory(), "flows.sh")], new Dictionary<string, string?>
        {
            ["ASSETS"] = server.AssetsEndpoint,
            ["CLOUDKEEP"] = "dotnet " + Dll,

            // The 30-second expiry itself is checked on a moved clock (AssetsRouterTests); here a real wait, kept short.
            ["FLOWS_EXPIRES"] = "5",
            ["AWS_ENDPOINT_URL"] = server.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey,
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_PROFILE"] = null,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        }, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        foreach (var step in new[]
        {
            "ok: a draft is not public through the assets host (404)",
            "ok: the supplier's pre-signed link to their draft (200)",
            "ok: the published document, for anyone (200)",
            "ok: the agreement is not public (404)",
            "ok: the agreement through its 5-second pre-signed URL (200)",
            "ok: the same URL with its signature altered (404)",
            "ok: the agreement's URL after 5 seconds (404)",
            "all flows done",
        })
        {
            Assert.Contains(step, result.StandardOutput, StringComparison.Ordinal);
        }
    }
}
