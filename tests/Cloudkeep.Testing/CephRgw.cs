using System.Diagnostics;
using System.Text.Json;

namespace Cloudkeep.Testing;

/// <summary>
/// A throwaway one-node Ceph cluster (mon, mgr, OSD, RADOS Gateway) on loopback, made by the benchmarks' own
/// <c>bench/peers/ceph-rgw.sh</c> from Debian's packages, as the S3-compatible blob backend of many-node tests. Start
/// it once per test run (a collection fixture): it takes ~6-8 s on this machine, bounded here; <see cref="DisposeAsync"/>
/// stops its daemons (by their recorded PIDs) and removes its directory, and so does the process's exit if a run ends
/// without disposing it.
/// </summary>
public sealed class CephRgw : IAsyncDisposable
{
    /// <summary>The bound on the cluster's start once its packages are there (the script stops what it began if it passes).</summary>
    public static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);

    private readonly string _script;
    private int _stopped;

    private CephRgw(string script, string directory, IReadOnlyDictionary<string, string> values, TimeSpan started)
    {
        _script = script;
        Directory = directory;
        Endpoint = values["CEPH_RGW_ENDPOINT"];
        AccessKeyId = values["CEPH_RGW_ACCESS_KEY"];
        SecretAccessKey = values["CEPH_RGW_SECRET_KEY"];
        ConfigFile = values["CEPH_CONF"];
        StartTime = started;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The cluster's directory (data, keys, logs): nothing of it is outside.</summary>
    public string Directory { get; }

    /// <summary>http://127.0.0.1:PORT of the RADOS Gateway.</summary>
    public string Endpoint { get; }

    /// <summary>The keys of the gateway user the script made.</summary>
    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    /// <summary>The cluster's ceph.conf, for radosgw-admin.</summary>
    public string ConfigFile { get; }

    /// <summary>How long the start took (the packages installed), for the README's numbers.</summary>
    public TimeSpan StartTime { get; }

    public static async Task<CephRgw> StartAsync()
    {
        var script = FindScript();
        var directory = System.IO.Directory.CreateTempSubdirectory("cloudkeep-ceph-").FullName;
        var clock = Stopwatch.StartNew();
        ProcessRunner.Result result;
        try
        {
            // The script's own bound covers the cluster; ours adds what a first package install takes.
            result = await ProcessRunner.RunAsync("bash", [script, "start", directory],
                new Dictionary<string, string?> { ["CEPH_RGW_TIMEOUT"] = ((int)StartBound.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                timeout: StartBound + TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            await StopAsync(script, directory);
            throw;
        }

        if (result.ExitCode != 0)
        {
            await StopAsync(script, directory);
            throw new InvalidOperationException($"ceph-rgw.sh start failed ({result.ExitCode}):\n{result.StandardError}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[line[..equals]] = line[(equals + 1)..].Trim('"');
            }
        }

        return new CephRgw(script, directory, values, clock.Elapsed);
    }

    /// <summary>Another gateway user (its own keys), which a test may suspend without touching the others'.</summary>
    public async Task<(string AccessKeyId, string SecretAccessKey)> CreateUserAsync(string uid)
    {
        var output = await AdminAsync("user", "create", "--uid=" + uid, "--display-name=" + uid);
        using var document = JsonDocument.Parse(output);
        var key = document.RootElement.GetProperty("keys")[0];
        return (key.GetProperty("access_key").GetString()!, key.GetProperty("secret_key").GetString()!);
    }

    /// <summary>Suspends a user: the gateway refuses its keys from then on (403), as a revoked credential.</summary>
    public Task SuspendUserAsync(string uid) => AdminAsync("user", "suspend", "--uid=" + uid);

    private async Task<string> AdminAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("radosgw-admin", ["-c", ConfigFile, "-n", "client.admin", .. arguments], timeout: TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"radosgw-admin {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}");
        }

        return result.StandardOutput;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            await StopAsync(_script, Directory);
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            StopAsync(_script, Directory).GetAwaiter().GetResult();
        }
    }

    /// <summary>`ceph-rgw.sh stop` signals only the daemons it recorded; then the directory goes.</summary>
    private static async Task StopAsync(string script, string directory)
    {
        try
        {
            if (File.Exists(Path.Combine(directory, "pids")))
            {
                await ProcessRunner.RunAsync("bash", [script, "stop", directory], timeout: TimeSpan.FromSeconds(60));
            }
        }
        catch (TimeoutException)
        {
            // The directory is still removed below; a daemon that outlived stop's KILL is the OS's to reap.
        }

        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's /tmp cleaning.
        }
    }

    /// <summary>bench/peers/ceph-rgw.sh, from the test binaries up to the repository's root.</summary>
    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "bench", "peers", "ceph-rgw.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("bench/peers/ceph-rgw.sh was not found above " + AppContext.BaseDirectory);
    }
}
