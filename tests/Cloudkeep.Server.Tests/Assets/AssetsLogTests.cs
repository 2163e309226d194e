using System.Collections.Concurrent;
using Cloudkeep.Server.Assets;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Testing;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Tests.Assets;

public sealed class AssetsLogTests
{
    [Fact]
    public async Task AccessLog_OneLinePerRequest_WithTheRouteAndWithoutTheQuery()
    {
        var lines = new ConcurrentQueue<string>();
        using var data = new TempDirectory();
        var assets = AssetsConfig.Parse("buckets:\n  documents: http://docs.s3.localhost:4566\n", data.Path, listenOverride: "127.0.0.1:0");
        await using (var server = await CloudkeepServer.StartAsync(new CloudkeepOptions
        {
            DataDirectory = data.Path,
            Listen = "127.0.0.1:0",
            RootAccessKeyId = TestServer.RootAccessKeyId,
            RootSecretAccessKey = TestServer.RootSecretAccessKey,
            Assets = assets,
        }, logging => logging.AddProvider(new CapturingLoggerProvider(lines))))
        {
            using var http = AssetsFixture.Http();
            var endpoint = server.AssetsAddress!.ToString().TrimEnd('/');
            using var missing = await http.GetAsync(new Uri(endpoint + "/fw/documents/x.pdf?X-Amz-Signature=secretsignature"));
            using var robots = await http.GetAsync(new Uri(endpoint + "/robots.txt"));
            using var refused = await http.GetAsync(new Uri(endpoint + "/_cloudkeep/health"));
        }

        var access = lines.Where(l => l.StartsWith("3000 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, access.Count);
        Assert.Contains(access, l => l.Contains("assets 127.0.0.1 GET /fw/documents/x.pdf documents 404 ", StringComparison.Ordinal));
        Assert.Contains(access, l => l.Contains("assets 127.0.0.1 GET /robots.txt local 200 24 ", StringComparison.Ordinal));
        Assert.Contains(access, l => l.Contains("GET /_cloudkeep/health refused: reserved path 404 ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("secretsignature", l, StringComparison.Ordinal));
    }
}
