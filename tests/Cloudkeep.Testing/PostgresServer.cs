using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cloudkeep.Testing;

/// <summary>
/// A real PostgreSQL server from Debian's packages, started once per test run in a temporary
/// directory on a free loopback port, and stopped when the process exits. Each caller gets its own
/// database, collated by ICU's en-US. The README's test command installs the package when it is missing.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<Instance>> Shared = new(StartAsync);
    private static int _databaseCounter;

    public sealed record Instance(string Host, int Port, string DataDirectory);

    /// <summary>Creates a fresh database and returns its postgres:// URL.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var instance = await Shared.Value;
        var name = $"cloudkeep_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        await using var connection = new NpgsqlConnection($"Host={instance.Host};Port={instance.Port};Username=postgres;Database=postgres");
        await connection.OpenAsync();
        // A locale's collation, as production databases usually have (the server's own default is C.UTF-8, byte
        // order): whatever the store orders or compares must not depend on it.
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'", connection);
        await command.ExecuteNonQueryAsync();
        return $"postgres://postgres@{instance.Host}:{instance.Port}/{name}";
    }

    private static async Task<Instance> StartAsync()
    {
        var cluster = await Cluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopAndDelete();
        return new Instance(cluster.Host, cluster.Port, cluster.DataDirectory);
    }

    /// <summary>
    /// A PostgreSQL server of the caller's own, for a test that stops or restarts it (the shared one
    /// serves every other test at the same time). Disposing stops it and deletes its files.
    /// </summary>
    public static Task<Cluster> StartPrivateAsync() => Cluster.StartAsync();

    /// <summary>One initdb'd PostgreSQL data directory and the server running on it.</summary>
    public sealed class Cluster : IAsyncDisposable
    {
        private readonly string _bin;
        private readonly string _root;
        private readonly bool _asRoot;

        private Cluster(string bin, string root, int port, bool asRoot)
        {
            _bin = bin;
            _root = root;
            Port = port;
            _asRoot = asRoot;
        }

        public string Host => "127.0.0.1";

        public int Port { get; }

        public string DataDirectory => Path.Combine(_root, "data");

        public static async Task<Cluster> StartAsync()
        {
            var bin = FindBinDirectory();
            var root = Directory.CreateTempSubdirectory("cloudkeep-pg-").FullName;
            var asRoot = Environment.UserName == "root";
            if (asRoot)
            {
                // PostgreSQL refuses to run as root; its Debian package provides the postgres user.
                await Run("chown", "-R", "postgres:postgres", root);
            }

            var cluster = new Cluster(bin, root, FreePort(), asRoot);
            await RunAs(asRoot, Path.Combine(bin, "initdb"), "-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
            await cluster.StartServerAsync();
            return cluster;
        }

        /// <summary>Creates a database and returns its postgres:// URL.</summary>
        public async Task<string> CreateDatabaseAsync(string name)
        {
            await using var connection = new NpgsqlConnection($"Host={Host};Port={Port};Username=postgres;Database=postgres;Pooling=false");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'", connection);
            await command.ExecuteNonQueryAsync();
            return $"postgres://postgres@{Host}:{Port}/{name}";
        }

        public Task StartServerAsync() =>
            RunAs(_asRoot, Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_root, "log"), "-w", "-t", "60",
                "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

        /// <summary>Stops the server at once (connections cut, as a crash or a fast failover would).</summary>
        public Task StopServerAsync() => RunAs(_asRoot, Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "stop");

        internal void StopAndDelete()
        {
            using var process = Process.Start(StartInfo(_asRoot, Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "stop"));
            process?.WaitForExit(10_000);
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS's /tmp cleaning.
            }
        }

        public ValueTask DisposeAsync()
        {
            StopAndDelete();
            return ValueTask.CompletedTask;
        }
    }

    private static string FindBinDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CLOUDKEEP_PG_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        const string Root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(Root)
            ? Directory.GetDirectories(Root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries were not found: install Debian's postgresql package (the README's test command does).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(bool asRoot, string file, params string[] arguments)
    {
        var info = asRoot ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
        if (asRoot)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("postgres");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(file);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        return info;
    }

    private static Task RunAs(bool asRoot, string file, params string[] arguments) => Execute(StartInfo(asRoot, file, arguments));

    private static Task Run(string file, params string[] arguments) => Execute(StartInfo(false, file, arguments));

    private static async Task Execute(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{info.FileName} {string.Join(' ', info.ArgumentList)} failed: {await output}{await error}");
        }
    }
}
