using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>The `cloudkeep serve` program itself, as a user runs it: first start, restart, SIGTERM.</summary>
public sealed class ServeCommandTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string dataDirectory, int port, bool fixedKey)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"));
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(dataDirectory);
        info.Environment["CLOUDKEEP_LISTEN"] = $"127.0.0.1:{port}";
        info.Environment["CLOUDKEEP_ACCOUNT_ID"] = "555566667777";
        if (fixedKey)
        {
            info.Environment["CLOUDKEEP_ROOT_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId;
            info.Environment["CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey;
        }

        return Process.Start(info)!;
    }

    private static async Task<string> ReadUntilAsync(Process process, string marker, List<string> seen)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            seen.Add(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException("The server stopped before saying: " + marker + "\n" + string.Join('\n', seen) + await process.StandardError.ReadToEndAsync(cts.Token));
    }

    private static async Task<int> TerminateAsync(Process process)
    {
        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, kill.ExitCode);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    [Fact]
    public async Task Serve_FirstStartPrintsTheRootKeyOnce_AndSigtermStopsCleanly()
    {
        using var data = new TempDirectory();
        var port = FreePort();
        var lines = new List<string>();
        using (var first = Start(data.Path, port, fixedKey: false))
        {
            await ReadUntilAsync(first, "cloudkeep: ready on", lines);
            Assert.Contains(lines, l => l.Contains("data directory " + data.Path, StringComparison.Ordinal));
            var secretLine = Assert.Single(lines, l => l.Contains("aws_secret_access_key", StringComparison.Ordinal));
            var keyLine = Assert.Single(lines, l => l.Contains("aws_access_key_id", StringComparison.Ordinal));
            var secret = secretLine.Split('=')[1].Trim();
            var keyId = keyLine.Split('=')[1].Trim();
            Assert.StartsWith("AKIA", keyId, StringComparison.Ordinal);
            Assert.Equal(40, secret.Length);

            var identity = await AwsCli.RunAsync($"http://127.0.0.1:{port}", keyId, secret, "sts", "get-caller-identity");
            Assert.True(identity.ExitCode == 0, identity.StandardError);
            Assert.Contains("arn:aws:iam::555566667777:root", identity.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(0, await TerminateAsync(first));
            var rest = await first.StandardOutput.ReadToEndAsync();
            Assert.Contains("cloudkeep: stopping", rest, StringComparison.Ordinal);
        }

        lines.Clear();
        using var second = Start(data.Path, port, fixedKey: false);
        await ReadUntilAsync(second, "cloudkeep: ready on", lines);
        Assert.DoesNotContain(lines, l => l.Contains("aws_secret_access_key", StringComparison.Ordinal));
        Assert.Equal(0, await TerminateAsync(second));
    }

    [Fact]
    public async Task Serve_HealthAnswersWhileRunning()
    {
        using var data = new TempDirectory();
        var port = FreePort();
        using var process = Start(data.Path, port, fixedKey: true);
        await ReadUntilAsync(process, "cloudkeep: ready on", []);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/_cloudkeep/health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await TerminateAsync(process));
    }

    [Fact]
    public async Task Serve_BadListenAddress_ExitsWithAClearError()
    {
        using var data = new TempDirectory();
        var result = await ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"), "serve", "--data", data.Path, "--listen", "nowhere"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--listen must be HOST:PORT", result.StandardError, StringComparison.Ordinal);
    }
}
