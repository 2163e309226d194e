using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// `cloudkeep serve` as its own process, as operators run it, for tests that kill it (SIGKILL: no
/// shutdown code runs) and start it again on the same data. Its output is drained and kept.
/// </summary>
public sealed partial class ServeProcess : IDisposable
{
    public const string AccountId = "444455556666";

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");

    private readonly Process _process;
    private readonly List<string> _output;

    private ServeProcess(Process process, string endpoint, List<string> output)
    {
        _process = process;
        Endpoint = endpoint;
        _output = output;
    }

    public string Endpoint { get; }

    public int ProcessId => _process.Id;

    [GeneratedRegex(@"ready on (http://127\.0\.0\.1:\d+)/")]
    private static partial Regex ReadyOn();

    /// <summary>
    /// Starts serve with <paramref name="arguments"/> after `serve`, on <paramref name="port"/> (0: any free one),
    /// with <paramref name="environment"/> added to its environment (secrets go there, as operators pass them, never in arguments).
    /// </summary>
    public static async Task<ServeProcess> StartAsync(IEnumerable<string> arguments, int port = 0, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Dll, "serve" }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["CLOUDKEEP_LISTEN"] = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        info.Environment["CLOUDKEEP_ACCOUNT_ID"] = AccountId;
        info.Environment["CLOUDKEEP_ROOT_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId;
        info.Environment["CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var seen = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                seen.Add(line);
                if (ReadyOn().Match(line) is { Success: true } ready)
                {
                    // Keep draining output so the server never blocks on a full pipe.
                    _ = DrainAsync(process.StandardOutput, seen);
                    _ = DrainAsync(process.StandardError, seen);
                    return new ServeProcess(process, ready.Groups[1].Value, seen);
                }
            }
        }
        catch (OperationCanceledException)
        {
            seen.Add("(not ready in 90 s)");
        }

        process.Kill(entireProcessTree: true);
        seen.Add(await process.StandardError.ReadToEndAsync(CancellationToken.None));
        process.Dispose();
        throw new InvalidOperationException("serve stopped before it was ready:\n" + string.Join('\n', seen));
    }

    /// <summary>What the process printed so far.</summary>
    public string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    public void Kill()
    {
        // Process.Kill is SIGKILL on Linux.
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static async Task DrainAsync(StreamReader reader, List<string> into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.Add(line);
            }
        }
    }
}
