using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Cloudkeep.LoadGenerator;

/// <summary>
/// A Cloudkeep server in its own process (`dotnet cloudkeep.dll serve`) on a free loopback port with
/// a temporary data directory and a known root key; stopped by SIGTERM to its PID, then the
/// directory is deleted.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private ServerProcess(Process process, string dataDirectory, Uri endpoint, string accountId)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Endpoint = endpoint;
        AccountId = accountId;
    }

    public Uri Endpoint { get; }

    public string AccountId { get; }

    public int ProcessId => _process.Id;

    /// <summary>The server process's CPU time so far (user and system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>With --tls: the server's self-signed certificate (PEM), which clients pin.</summary>
    public string? CertificateFile { get; private init; }

    public static async Task<ServerProcess> StartAsync(string serverDll, Credentials root, TimeSpan startTimeout, bool tls = false)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cloudkeep-loadgen-").FullName;
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { serverDll, "serve", "--data", dataDirectory, "--listen", $"127.0.0.1:{port}", "--no-request-log" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CLOUDKEEP_ROOT_ACCESS_KEY_ID"] = root.AccessKeyId;
        start.Environment["CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"] = root.SecretAccessKey;
        start.Environment["DOTNET_gcServer"] = "0";
        if (tls)
        {
            start.ArgumentList.Add("--tls");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        // Drain the server's output so a full pipe never blocks it; keep stderr for the error message.
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var endpoint = new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}/");
        var certificate = Path.Combine(dataDirectory, "tls", "cert.pem");
        using var http = new HttpClient(PinnedHandler(certificate), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < startTimeout)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(endpoint, "_cloudkeep/health"));
                if (response.IsSuccessStatusCode)
                {
                    using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var account = health.RootElement.GetProperty("managementAccountId").GetString()!;
                    return new ServerProcess(process, dataDirectory, endpoint, account) { CertificateFile = tls ? certificate : null };
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow to answer; try again until the deadline.
            }

            await Task.Delay(100);
        }

        var server = new ServerProcess(process, dataDirectory, endpoint, "");
        await server.DisposeAsync();
        string errors;
        lock (stderr)
        {
            errors = stderr.ToString();
        }

        throw new InvalidOperationException($"the server did not become healthy within {startTimeout.TotalSeconds} s: {errors}");
    }

    /// <summary>
    /// A handler that trusts exactly the certificate in <paramref name="certificateFile"/> (read when
    /// the first connection is made, since the server writes it as it starts) and still requires the
    /// host name to match; plain http is unaffected.
    /// </summary>
    public static SocketsHttpHandler PinnedHandler(string? certificateFile) => new()
    {
        UseProxy = false,
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                certificateFile is not null && File.Exists(certificateFile) && presented is not null
                && (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == System.Net.Security.SslPolicyErrors.None
                && presented.GetRawCertData().AsSpan().SequenceEqual(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile)).RawData),
        },
    };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets the server drain and close its stores; Process.Kill would send SIGKILL.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
