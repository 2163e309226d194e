using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// The `cloudkeep serve` program itself, as a user runs it: first start, restart, SIGTERM. Each start listens on
/// port 0 and the test reads the address from the "ready on" line, so no port is chosen before the server binds it.
/// </summary>
public sealed partial class ServeCommandTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");

    [GeneratedRegex(@"ready on (http://127\.0\.0\.1:\d+)/")]
    private static partial Regex ReadyOn();

    [GeneratedRegex(@"aws_secret_access_key = (\S+)")]
    private static partial Regex SecretInFile();

    private static void Configure(ProcessStartInfo info, string dataDirectory, bool fixedKey)
    {
        info.Environment["CLOUDKEEP_LISTEN"] = "127.0.0.1:0";
        info.Environment["CLOUDKEEP_ACCOUNT_ID"] = "555566667777";
        if (fixedKey)
        {
            info.Environment["CLOUDKEEP_ROOT_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId;
            info.Environment["CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey;
        }

        info.Environment["CLOUDKEEP_DATA"] = dataDirectory;
    }

    /// <summary>A started server process that is killed, with its children, if a test ends before stopping it.</summary>
    private sealed class Running(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }

    private static Running Start(string dataDirectory, bool fixedKey)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(dataDirectory);
        Configure(info, dataDirectory, fixedKey);
        return new Running(Process.Start(info)!);
    }

    /// <summary>Reads lines until the server says it is ready; returns its endpoint.</summary>
    private static async Task<string> ReadUntilReadyAsync(Process process, List<string> seen)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            seen.Add(line.TrimEnd('\r'));
            if (ReadyOn().Match(line) is { Success: true } ready)
            {
                return ready.Groups[1].Value;
            }
        }

        throw new InvalidOperationException("The server stopped before it was ready:\n" + string.Join('\n', seen) + await process.StandardError.ReadToEndAsync(cts.Token));
    }

    private static async Task<int> TerminateAsync(Process process, int? pid = null)
    {
        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", (pid ?? process.Id).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, kill.ExitCode);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    private static string SecretFromCredentialsFile(string dataDirectory) =>
        SecretInFile().Match(File.ReadAllText(Path.Combine(dataDirectory, "root-credentials"))).Groups[1].Value;

    [Fact]
    public async Task Serve_FirstStartWithRedirectedOutput_KeepsTheGeneratedSecretInTheFileOnly_AndSigtermStopsCleanly()
    {
        using var data = new TempDirectory();
        var lines = new List<string>();
        using (var running = Start(data.Path, fixedKey: false))
        {
            var first = running.Process;
            var endpoint = await ReadUntilReadyAsync(first, lines);
            Assert.Contains(lines, l => l.Contains("data directory " + data.Path, StringComparison.Ordinal));
            var keyLine = Assert.Single(lines, l => l.Contains("aws_access_key_id", StringComparison.Ordinal));
            var keyId = keyLine.Split('=')[1].Trim();
            Assert.StartsWith("AKIA", keyId, StringComparison.Ordinal);
            Assert.Contains(lines, l => l.Contains("aws_secret_access_key: not shown, as standard output is not a terminal", StringComparison.Ordinal));
            var secret = SecretFromCredentialsFile(data.Path);
            Assert.Equal(40, secret.Length);

            var identity = await AwsCli.RunAsync(endpoint, keyId, secret, "sts", "get-caller-identity");
            Assert.True(identity.ExitCode == 0, identity.StandardError);
            Assert.Contains("arn:aws:iam::555566667777:root", identity.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(0, await TerminateAsync(first));
            var rest = await first.StandardOutput.ReadToEndAsync();
            Assert.Contains("cloudkeep: stopping", rest, StringComparison.Ordinal);
            var errors = await first.StandardError.ReadToEndAsync();
            Assert.DoesNotContain(secret, string.Join('\n', lines) + rest + errors, StringComparison.Ordinal);
        }

        lines.Clear();
        using var second = Start(data.Path, fixedKey: false);
        await ReadUntilReadyAsync(second.Process, lines);
        Assert.DoesNotContain(lines, l => l.Contains("aws_secret_access_key", StringComparison.Ordinal));
        Assert.Equal(0, await TerminateAsync(second.Process));
    }

    [Fact]
    public async Task Serve_SecretSuppliedThroughTheEnvironment_AppearsNowhereInItsOutput()
    {
        using var data = new TempDirectory();
        var lines = new List<string>();
        using var running = Start(data.Path, fixedKey: true);
        var process = running.Process;
        var endpoint = await ReadUntilReadyAsync(process, lines);
        var identity = await AwsCli.RunAsync(endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "sts", "get-caller-identity");
        Assert.True(identity.ExitCode == 0, identity.StandardError);
        Assert.Equal(0, await TerminateAsync(process));

        var output = string.Join('\n', lines) + await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        Assert.DoesNotContain(TestServer.RootSecretAccessKey, output, StringComparison.Ordinal);
        Assert.Contains($"aws_access_key_id     = {TestServer.RootAccessKeyId}", output, StringComparison.Ordinal);
        Assert.Contains("aws_secret_access_key: the one given in CLOUDKEEP_ROOT_SECRET_ACCESS_KEY (not shown)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_FirstStartOnATerminal_ShowsOnlyAGeneratedSecret(bool fixedKey)
    {
        // script(1) gives the server a terminal for standard output; the shell says the server's pid for SIGTERM.
        using var data = new TempDirectory();
        var info = new ProcessStartInfo("script", ["-qec", $"dotnet '{Dll}' serve & echo \"serve-pid=$!\"; wait $!", "/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Configure(info, data.Path, fixedKey);
        info.Environment["TERM"] = "dumb";
        using var running = new Running(Process.Start(info)!);
        var terminal = running.Process;
        var lines = new List<string>();
        await ReadUntilReadyAsync(terminal, lines);
        var pid = int.Parse(Assert.Single(lines, l => l.StartsWith("serve-pid=", StringComparison.Ordinal))["serve-pid=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var secret = SecretFromCredentialsFile(data.Path);
        var shown = lines.Where(l => l.Contains("aws_secret_access_key =", StringComparison.Ordinal)).ToList();
        if (fixedKey)
        {
            Assert.Equal(TestServer.RootSecretAccessKey, secret);
            Assert.Empty(shown);
            Assert.DoesNotContain(secret, string.Join('\n', lines), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal($"  aws_secret_access_key = {secret}", Assert.Single(shown));
        }

        Assert.Equal(0, await TerminateAsync(terminal, pid));
    }

    [Fact]
    public async Task Serve_HealthAnswersWhileRunning()
    {
        using var data = new TempDirectory();
        using var running = Start(data.Path, fixedKey: true);
        var process = running.Process;
        var endpoint = await ReadUntilReadyAsync(process, []);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"{endpoint}/_cloudkeep/health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await TerminateAsync(process));
    }

    [Fact]
    public async Task Serve_BadListenAddress_ExitsWithAClearError()
    {
        using var data = new TempDirectory();
        var result = await ProcessRunner.RunAsync("dotnet", [Dll, "serve", "--data", data.Path, "--listen", "nowhere"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--listen must be HOST:PORT", result.StandardError, StringComparison.Ordinal);
    }
}
