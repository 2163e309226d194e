using System.Net;
using Amazon.S3.Model;
using Cloudkeep.Server.Assets;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Assets;

/// <summary>The router's configuration, its YARP upstream, the allow-list and `serve`'s handling of a bad file.</summary>
public sealed class AssetsSetupTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");

    private const string Minimal = """
        buckets:
          documents: https://docs.s3.example.com
        """;

    [Fact]
    public void Config_Minimal_DefaultsToDocumentsInProcessWithABuiltInPage()
    {
        var options = AssetsConfig.Parse(Minimal, ".");
        Assert.Equal("documents", options.Default.Name);
        Assert.Equal("docs", options.Default.Bucket);
        Assert.Equal("docs.s3.example.com", options.Default.Host);
        Assert.Equal(AssetsUpstream.InProcess, options.Upstream);
        Assert.Equal(AssetsOptions.DefaultListen, options.Listen);
        Assert.Null(options.AllowedNetworks);
        Assert.NotEmpty(options.NotFoundPage);
    }

    [Fact]
    public void Config_EveryProblem_IsReportedTogether()
    {
        const string bad = """
            upstream: carrier-pigeon
            buckets:
              documents: ftp://docs.example.com
              "a/b": http://x.s3.example.com
              reports: http://127.0.0.1:4566/reports/deeper
              agreements: http://127.0.0.1:4566
              submissions: http://127.0.0.1:4566/submissions
            default: nowhere
            prefixes:
              g-cloud-7: http://127.0.0.1:4566/drafts
            not-found-page: no-such-file.html
            allow-ips: [10.0.0.0/8, not-an-address]
            colour: blue
            """;
        var error = Assert.Throws<AssetsConfigException>(() => AssetsConfig.Parse(bad, "/nonexistent", "assets.yaml"));
        foreach (var expected in new[] { "upstream: must be in-process or proxy", "buckets.documents must be an http(s) URL", "bucket name 'a/b'", "buckets.reports must be just scheme", "buckets.agreements names no bucket", "default: 'nowhere'", "prefix 'g-cloud-7'", "no-such-file.html cannot be read", "'not-an-address'", "unknown setting 'colour'" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/g-cloud-12/documents/1/a.pdf", "documents")]
    [InlineData("/g-cloud-12/reports/x.csv", "reports")]
    [InlineData("/g-cloud-12", "documents")]
    [InlineData("/g-cloud-7", "/g-cloud-7")]
    [InlineData("/g-cloud-7/reports/x.csv", "/g-cloud-7")]
    [InlineData("/g-cloud-7/drafts/x.pdf", "/g-cloud-7/drafts")]
    [InlineData("/g-cloud-70/reports/x.csv", "reports")]
    [InlineData("/digital-outcomes-and-specialists-3/communications/data/opportunity-data.csv", "communications")]
    [InlineData("/fw/%72eports/x.csv", "reports")]
    public void Map_PicksTheBase(string path, string expected)
    {
        var options = AssetsConfig.Parse("""
            buckets:
              documents: https://docs.s3.example.com
              reports: https://reports.s3.example.com
              communications: https://comms.s3.example.com
            prefixes:
              /g-cloud-7: https://g7.s3.example.com
              /g-cloud-7/drafts: https://g7-drafts.s3.example.com
            """, ".");
        Assert.True(AssetsMap.TryResolve(options, path, out var target, out var refusal), refusal);
        Assert.Equal(expected, target.Name);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/a/../b")]
    [InlineData("/a/./b")]
    [InlineData("/a/%2E%2e/b")]
    [InlineData("/a/..")]
    [InlineData("/a%2Fb/documents/x")]
    [InlineData("/a%5cb")]
    [InlineData("/a\\b")]
    [InlineData("/a%00b")]
    [InlineData("/a%0d%0aX-Injected:%20yes")]
    [InlineData("/_cloudkeep/metrics")]
    [InlineData("/_CloudKeep/metrics")]
    [InlineData("/%5Fcloudkeep/health")]
    [InlineData("http://evil.example/x")]
    [InlineData("*")]
    public void Map_RefusesWhatCouldLeaveTheBase(string path)
    {
        var options = AssetsConfig.Parse(Minimal, ".");
        Assert.False(AssetsMap.TryResolve(options, path, out _, out var refusal));
        Assert.NotEmpty(refusal);
    }

    [Fact]
    public async Task Serve_BadAssetsConfig_ExitsWith2BeforeCreatingAnything()
    {
        using var directory = new TempDirectory();
        var config = Path.Combine(directory.Path, "assets.yaml");
        await File.WriteAllTextAsync(config, "buckets:\n  documents: not a url\nnot-found-page: missing.html\n");
        var data = Path.Combine(directory.Path, "data");
        var result = await ProcessRunner.RunAsync("dotnet", [Dll, "serve", "--data", data, "--listen", "127.0.0.1:0", "--assets-listen", "127.0.0.1:0", "--assets-config", config]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("2 problems", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("buckets.documents must be an http(s) URL", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("missing.html cannot be read", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "nothing is created for a bad assets config");

        var listenOnly = await ProcessRunner.RunAsync("dotnet", [Dll, "serve", "--data", data, "--assets-listen", "127.0.0.1:0"]);
        Assert.Equal(2, listenOnly.ExitCode);
        Assert.Contains("--assets-listen needs --assets-config", listenOnly.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithAssetsConfig_PrintsTheRouterAndServesIt_ThenStopsOnSigterm()
    {
        using var directory = new TempDirectory();
        var config = Path.Combine(directory.Path, "assets.yaml");
        await File.WriteAllTextAsync(config, Minimal + "\nprefixes:\n  /g-cloud-7: http://127.0.0.1:4566/drafts\n");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Dll, "serve", "--data", Path.Combine(directory.Path, "data"), "--listen", "127.0.0.1:0", "--assets-listen", "127.0.0.1:0", "--assets-config", config })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? assets = null;
            var seen = new List<string>();
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                seen.Add(line);
                if (line.StartsWith("cloudkeep: assets router on ", StringComparison.Ordinal))
                {
                    assets = line.Split(' ')[4].TrimEnd('/');
                    Assert.Contains("(in-process; documents; default documents; prefixes /g-cloud-7)", line, StringComparison.Ordinal);
                }

                if (line.StartsWith("cloudkeep: ready on ", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.True(assets is not null, string.Join('\n', seen));
            var (status, _, body) = await AssetsFixture.RawAsync(assets!, "GET /robots.txt HTTP/1.1");
            Assert.Equal(200, status);
            Assert.Equal("User-agent: *\nDisallow:\n", body);
            var kill = await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.Equal(0, kill.ExitCode);
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task AllowList_RefusesPeersOutsideIt_AndTrustsForwardedForOnlyFromConfiguredProxies()
    {
        using var directory = new TempDirectory();
        var outside = AssetsConfig.Parse(Minimal + "\nallow-ips: [10.0.0.0/8]\n", directory.Path, listenOverride: "127.0.0.1:0");
        await using (var server = await TestServer.StartAsync(assets: outside))
        {
            var (status, _, _) = await AssetsFixture.RawAsync(server.AssetsEndpoint!, "GET /robots.txt HTTP/1.1");
            Assert.Equal(403, status);

            // Without trusted proxies, a claimed X-Forwarded-For changes nothing.
            (status, _, _) = await AssetsFixture.RawAsync(server.AssetsEndpoint!, "GET /robots.txt HTTP/1.1", "X-Forwarded-For: 10.1.2.3");
            Assert.Equal(403, status);
        }

        var behindProxy = AssetsConfig.Parse(Minimal + "\nallow-ips: [10.0.0.0/8]\ntrusted-proxies: [127.0.0.1]\n", directory.Path, listenOverride: "127.0.0.1:0");
        await using (var server = await TestServer.StartAsync(assets: behindProxy))
        {
            var (status, _, _) = await AssetsFixture.RawAsync(server.AssetsEndpoint!, "GET /robots.txt HTTP/1.1", "X-Forwarded-For: 10.1.2.3");
            Assert.Equal(200, status);

            // The right-most untrusted entry is the client; what it wrote to the left is not believed.
            (status, _, _) = await AssetsFixture.RawAsync(server.AssetsEndpoint!, "GET /robots.txt HTTP/1.1", "X-Forwarded-For: 10.1.2.3, 192.0.2.7");
            Assert.Equal(403, status);
        }

        var inside = AssetsConfig.Parse(Minimal + "\nallow-ips: [127.0.0.0/8, '::1']\n", directory.Path, listenOverride: "127.0.0.1:0");
        await using (var server = await TestServer.StartAsync(assets: inside))
        {
            var (status, _, _) = await AssetsFixture.RawAsync(server.AssetsEndpoint!, "GET /robots.txt HTTP/1.1");
            Assert.Equal(200, status);
        }
    }

    /// <summary>The YARP upstream: a router on one server forwarding over HTTP to the S3 of another.</summary>
    [Fact]
    public async Task ProxyUpstream_ForwardsOverHttp_SignatureCheckedUpstream_PathByteForByte_404Page()
    {
        await using var upstream = await TestServer.StartAsync();
        var bucket = S3Clients.UniqueBucket("h-proxy");
        using (var s3 = S3Clients.Root(upstream))
        {
            await s3.PutBucketAsync(bucket);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "fw/agreements/a b+c~%.pdf", ContentBody = "through yarp" });
        }

        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "404.html"), "not found here");
        var options = AssetsConfig.Parse($"""
            upstream: proxy
            buckets:
              documents: {upstream.Endpoint}/{bucket}
              agreements: {upstream.Endpoint}/{bucket}
            not-found-page: 404.html
            """, directory.Path, listenOverride: "127.0.0.1:0");
        await using var router = await TestServer.StartAsync(assets: options);

        var url = await Cloudkeep.Cli.Commands.Presign.UrlAsync(
            new Amazon.Runtime.BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey),
            $"s3://{bucket}/fw/agreements/a b+c~%.pdf", 30, null, "eu-west-1", router.AssetsEndpoint, options, DateTime.UtcNow);
        Assert.Contains("/fw/agreements/a%20b%2Bc~%25.pdf?", url, StringComparison.Ordinal);
        using var http = AssetsFixture.Http();
        Assert.Equal("through yarp", await http.GetStringAsync(new Uri(url)));

        using (var range = new HttpRequestMessage(HttpMethod.Get, new Uri(url)))
        {
            range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 6);
            using var partial = await http.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal("through", await partial.Content.ReadAsStringAsync());
        }

        using (var tampered = await http.GetAsync(new Uri(url.Replace("a%20b", "a%20c", StringComparison.Ordinal))))
        {
            Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
            Assert.Equal("not found here", await tampered.Content.ReadAsStringAsync());
        }

        using var unsigned = await http.GetAsync(new Uri(router.AssetsEndpoint + "/fw/agreements/a%20b%2Bc~%25.pdf"));
        Assert.Equal(HttpStatusCode.NotFound, unsigned.StatusCode);
        Assert.Equal("not found here", await unsigned.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithTls_TheAssetsListenerIsNeitherTheTlsNorThePlainHttpOne()
    {
        using var directory = new TempDirectory();
        var options = AssetsConfig.Parse(Minimal, directory.Path, listenOverride: "127.0.0.1:0");
        await using var server = await TestServer.StartAsync(tls: true, plainHttpToo: true, assets: options);
        Assert.StartsWith("https://", server.Endpoint, StringComparison.Ordinal);
        Assert.NotEqual(server.HttpEndpoint, server.AssetsEndpoint);
        var (status, _, body) = await AssetsFixture.RawAsync(server.AssetsEndpoint!, "GET /robots.txt HTTP/1.1");
        Assert.Equal(200, status);
        Assert.Equal("User-agent: *\nDisallow:\n", body);
        (status, _, body) = await AssetsFixture.RawAsync(server.HttpEndpoint!, "GET /_cloudkeep/health HTTP/1.1");
        Assert.Equal(200, status);
        Assert.Contains("\"ok\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PresignViaAssets_KeyRoutedElsewhere_IsAClearError()
    {
        var options = AssetsConfig.Parse("""
            buckets:
              documents: http://docs.s3.localhost:4566
              agreements: http://agreements.s3.localhost:4566
            """, ".");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Cloudkeep.Cli.Commands.Presign.UrlAsync(
            new Amazon.Runtime.BasicAWSCredentials("AKIAEXAMPLE", "secret"), "s3://agreements/fw/documents/x.pdf", 30, null, "eu-west-1", "https://assets.example", options, DateTime.UtcNow));
        Assert.Contains("sends /fw/documents/x.pdf to documents", error.Message, StringComparison.Ordinal);
    }
}
