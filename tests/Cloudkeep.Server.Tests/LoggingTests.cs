using System.Collections.Concurrent;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Testing;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task RequestLog_OneLinePerRequest_WithoutSecrets()
    {
        var lines = new ConcurrentQueue<string>();
        using var data = new TempDirectory();
        await using (var server = await CloudkeepServer.StartAsync(new CloudkeepOptions
        {
            DataDirectory = data.Path,
            Listen = "127.0.0.1:0",
            RootAccessKeyId = TestServer.RootAccessKeyId,
            RootSecretAccessKey = TestServer.RootSecretAccessKey,
        }, logging => logging.AddProvider(new CapturingLoggerProvider(lines))))
        {
            var endpoint = server.Address.ToString().TrimEnd('/');
            var ok = await AwsCli.RunAsync(endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "sts", "get-caller-identity");
            Assert.Equal(0, ok.ExitCode);
            await AwsCli.RunAsync(endpoint, TestServer.RootAccessKeyId, "wrong-secret-wrong-secret-wrong-secret00", "sts", "get-caller-identity");
        }

        var requests = lines.Where(l => l.StartsWith("1000 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Contains(requests, l => l.Contains("POST sts GetCallerIdentity arn:aws:iam::", StringComparison.Ordinal) && l.Contains(":root 200 ", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Contains(" 403 ", StringComparison.Ordinal));
        Assert.All(lines, l =>
        {
            Assert.DoesNotContain(TestServer.RootSecretAccessKey, l, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-secret", l, StringComparison.Ordinal);
            Assert.DoesNotContain("Signature=", l, StringComparison.Ordinal);
        });
    }
}
