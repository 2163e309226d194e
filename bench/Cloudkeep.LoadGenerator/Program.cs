using System.Globalization;
using System.Text.Json;
using Cloudkeep.LoadGenerator;

// Load generator for STS (docs/performance.md, "STS under load"): starts `cloudkeep serve` out of
// process on a loopback port, sets up a user, a role and a group policy through IAM, then measures
// GetCallerIdentity (user), AssumeRole (user, no MFA) and GetCallerIdentity (role session) at each
// concurrency. `s3 --target ...` instead drives S3 servers already running (see bench/s3/run.sh). Usage:
//   dotnet run -c Release --project bench/Cloudkeep.LoadGenerator -- [--server path/to/cloudkeep.dll]
//       [--clients 1,16] [--server-warmup 5] [--warmup 2] [--duration 10] [--max-requests 2000000] [--tls]
if (args.Length > 0 && args[0] == "s3")
{
    // S3 mode (docs/performance.md, "S3"): the servers are started by bench/s3/run.sh.
    Environment.ExitCode = await Cloudkeep.LoadGenerator.S3.S3Bench.RunAsync(args[1..]);
    return;
}

var options = Options.Parse(args);
var root = new Credentials("AKIALOADGENROOT00001", "loadgen-root-secret-0123456789abcdefghijkl");
const string Region = "us-east-1";

string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage()}");
Console.WriteLine($"server: {options.ServerDll}");
await using var server = await ServerProcess.StartAsync(options.ServerDll, root, TimeSpan.FromSeconds(60), options.Tls);
Console.WriteLine($"server: pid {server.ProcessId} on {server.Endpoint}, account {server.AccountId}{(options.Tls ? ", TLS (self-signed, pinned)" : "")}");

using var handler = ServerProcess.PinnedHandler(server.CertificateFile);
using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
var time = TimeProvider.System;

// Set-up, signed by root: a user with a key in a group allowed to assume a role that trusts the account.
var iam = new QueryClient(http, server.Endpoint, new QuerySigner(root, Region, "iam"), time);
(string, string) Iam(string action) => ("Action", action);
(string, string) IamVersion() => ("Version", "2010-05-08");
var roleArn = $"arn:aws:iam::{server.AccountId}:role/loadgen-target";
var trust = JsonSerializer.Serialize(new
{
    Version = "2012-10-17",
    Statement = new object[] { new { Effect = "Allow", Principal = new { AWS = $"arn:aws:iam::{server.AccountId}:root" }, Action = "sts:AssumeRole" } },
});
var assumePolicy = JsonSerializer.Serialize(new
{
    Version = "2012-10-17",
    Statement = new object[] { new { Effect = "Allow", Action = "sts:AssumeRole", Resource = roleArn } },
});
await iam.CallAsync(Iam("CreateUser"), IamVersion(), ("UserName", "loadgen"));
await iam.CallAsync(Iam("CreateGroup"), IamVersion(), ("GroupName", "loadgen"));
await iam.CallAsync(Iam("AddUserToGroup"), IamVersion(), ("GroupName", "loadgen"), ("UserName", "loadgen"));
await iam.CallAsync(Iam("PutGroupPolicy"), IamVersion(), ("GroupName", "loadgen"), ("PolicyName", "assume"), ("PolicyDocument", assumePolicy));
await iam.CallAsync(Iam("CreateRole"), IamVersion(), ("RoleName", "loadgen-target"), ("AssumeRolePolicyDocument", trust));
var key = await iam.CallAsync(Iam("CreateAccessKey"), IamVersion(), ("UserName", "loadgen"));
var user = new Credentials(QueryClient.Find(key, "AccessKeyId"), QueryClient.Find(key, "SecretAccessKey"));

var userSts = new QueryClient(http, server.Endpoint, new QuerySigner(user, Region, "sts"), time);
var assumeBody = QueryClient.Form(("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", "loadgen"));
var assumed = await userSts.CallAsync(("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", "loadgen"));
var session = new Credentials(QueryClient.Find(assumed, "AccessKeyId"), QueryClient.Find(assumed, "SecretAccessKey"), QueryClient.Find(assumed, "SessionToken"));
var sessionSts = new QueryClient(http, server.Endpoint, new QuerySigner(session, Region, "sts"), time);
var callerIdentityBody = QueryClient.Form(("Action", "GetCallerIdentity"), ("Version", "2011-06-15"));
Console.WriteLine($"set-up: user {user.AccessKeyId}, role {roleArn}, session {session.AccessKeyId} (token {session.SessionToken!.Length} chars)");

var scenarios = new (string Name, QueryClient Client, string Body)[]
{
    ("GetCallerIdentity (user)", userSts, callerIdentityBody),
    ("GetCallerIdentity (role session)", sessionSts, callerIdentityBody),
    ("AssumeRole (user, no MFA)", userSts, assumeBody),
};

// Tiered JIT and dynamic PGO need a few seconds of traffic per code path before the server runs
// its optimised code; without this the first row measured runs at a fraction of its later speed.
Console.WriteLine($"server warm-up: {options.ServerWarmUp.TotalSeconds} s per operation at {options.Clients.Max()} clients");
foreach (var (_, client, body) in scenarios)
{
    await LoadRunner.RunAsync(http, client, body, options.Clients.Max(), options.ServerWarmUp, TimeSpan.Zero, options.MaxRequests);
}

var rows = new List<string>();
foreach (var (name, client, body) in scenarios)
{
    foreach (var clients in options.Clients)
    {
        var outcome = await LoadRunner.RunAsync(http, client, body, clients, options.WarmUp, options.Duration, options.MaxRequests, () => server.CpuTime);
        var s = outcome.Stats;
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {clients} | {s.Requests:N0} | {s.RequestsPerSecond:N0} | {s.P50Ms:F2} | {s.P99Ms:F2} | {s.MaxMs:F1} | {s.Errors} | {outcome.ServerCpuMicrosecondsPerRequest:F0} |");
        Console.WriteLine(row);
        if (outcome.FirstError is { } error)
        {
            Console.WriteLine($"  first error: {error}");
        }

        rows.Add(row);
    }
}

Console.WriteLine();
Console.WriteLine($"server warm-up {options.ServerWarmUp.TotalSeconds} s per operation; per row: warm-up {options.WarmUp.TotalSeconds} s, measured {options.Duration.TotalSeconds} s per row; latency is the HTTP round trip of a signed request (signing excluded)");
Console.WriteLine("| operation | clients | requests | requests/s | p50 ms | p99 ms | max ms | errors | server CPU µs/request |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var row in rows)
{
    Console.WriteLine(row);
}

Console.WriteLine($"load average at the end: {LoadAverage()}");

internal sealed record Options(string ServerDll, int[] Clients, TimeSpan ServerWarmUp, TimeSpan WarmUp, TimeSpan Duration, long MaxRequests)
{
    /// <summary>--tls: the server serves HTTPS (`serve --tls`) and the clients pin its certificate.</summary>
    public bool Tls { get; init; }

    public static Options Parse(string[] args)
    {
        string? server = null;
        int[] clients = [1, 16];
        double serverWarmUp = 5, warmUp = 2, duration = 10;
        long maxRequests = 2_000_000;
        var tls = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--server": server = Next(); break;
                case "--clients": clients = [.. Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))]; break;
                case "--server-warmup": serverWarmUp = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmUp = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--duration": duration = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max-requests": maxRequests = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--tls": tls = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (clients.Any(c => c is < 1 or > 1024) || duration is <= 0 or > 300 || warmUp is < 0 or > 60 || serverWarmUp is < 0 or > 60 || maxRequests < 1)
        {
            throw new ArgumentException("--clients 1..1024, --duration 0..300 s, --warmup and --server-warmup 0..60 s, --max-requests >= 1");
        }

        return new Options(server ?? DefaultServerDll(), clients, TimeSpan.FromSeconds(serverWarmUp), TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(duration), maxRequests) { Tls = tls };
    }

    /// <summary>The Release build of src/Cloudkeep.Cli in the repository this program was built from.</summary>
    private static string DefaultServerDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        var dll = directory is null ? "" : Path.Combine(directory.FullName, "src/Cloudkeep.Cli/bin/Release/net10.0/cloudkeep.dll");
        return File.Exists(dll) ? dll : throw new ArgumentException("cloudkeep.dll not found: build src/Cloudkeep.Cli in Release or pass --server");
    }
}
