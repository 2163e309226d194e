using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// The S3 mode (docs/performance.md, "S3"): drives each target with the same client, one target
/// after the other so they never share the CPU: small-object PUT and GET at each concurrency,
/// one large PUT and GET with the server's RSS sampled, then a listing of many keys. Servers are
/// started and stopped by the caller (bench/s3/run.sh); this program only talks to them.
/// </summary>
internal static class S3Bench
{
    private const string Bucket = "cloudkeep-bench";
    private const string Region = "us-east-1";
    private const int GetKeys = 256;
    private static readonly TimeSpan RssInterval = TimeSpan.FromMilliseconds(20);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = S3Options.Parse(args);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage()}");
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
        };
        // No client-wide timeout: every large transfer has its own cancellation deadline instead.
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var report = new S3Report(options);

        if (options.Scenarios.Contains("small"))
        {
            report.SmallFileSyncMs = DiskBaseline.SmallFileSyncMs(options.SmallSize, 200);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"disk: new {Size(options.SmallSize)} file + fsync, median {report.SmallFileSyncMs:F2} ms over 200 files"));
        }

        if (options.Scenarios.Contains("large"))
        {
            report.Disk = await DiskBaseline.MeasureAsync(options.LargeSize);
            Console.WriteLine(report.Disk.Describe());
        }

        foreach (var target in options.Targets)
        {
            Console.WriteLine($"== {target.Name}: {target.Endpoint} pid {target.ProcessId}, RSS {Mib(RssSampler.ReadKiB(target.ProcessId))} MiB, load average {LoadAverage()}");
            var client = new S3Client(target.Endpoint, new S3Signer(target.Credentials, Region), TimeProvider.System);
            using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                await client.CreateBucketAsync(http, Bucket, setup.Token);
            }

            if (options.Scenarios.Contains("small"))
            {
                await SmallObjectsAsync(http, client, target, options, report);
            }

            if (options.Scenarios.Contains("large"))
            {
                await LargeObjectAsync(http, client, target, options, report);
            }

            if (options.Scenarios.Contains("list"))
            {
                await ListingAsync(http, client, target, options, report);
            }

            if (options.Scenarios.Contains("versions"))
            {
                await VersionsBench.RunAsync(http, client, options);
            }

            if (options.Scenarios.Contains("lifecycle"))
            {
                await LifecycleBench.RunAsync(http, client, options);
            }
        }

        Console.WriteLine();
        report.Print(Console.Out);
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return report.Failed ? 1 : 0;
    }

    private static async Task SmallObjectsAsync(HttpClient http, S3Client client, S3Target target, S3Options options, S3Report report)
    {
        var body = RandomNumberGenerator.GetBytes(options.SmallSize);
        using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            for (var i = 0; i < GetKeys; i++)
            {
                await client.PutAsync(http, Bucket, $"get/{i:D4}", body, setup.Token);
            }
        }

        long sequence = 0;
        HttpRequestMessage Put() =>
            client.Build(HttpMethod.Put, Bucket, $"small/{Interlocked.Increment(ref sequence):D9}", content: new ByteArrayContent(body));
        HttpRequestMessage Get() =>
            client.Build(HttpMethod.Get, Bucket, $"get/{Random.Shared.Next(GetKeys):D4}");
        HttpRequestMessage Head() =>
            client.Build(HttpMethod.Head, Bucket, $"get/{Random.Shared.Next(GetKeys):D4}");
        var scenarios = new (string Name, Func<HttpRequestMessage> Build)[]
        {
            ($"PUT {Size(options.SmallSize)}", Put),
            ($"GET {Size(options.SmallSize)}", Get),

            // wrk cannot measure HEAD (it waits for the body a Content-Length announces), so this is its row.
            ($"HEAD {Size(options.SmallSize)}", Head),
        };

        // As for STS: tiered JIT and dynamic PGO need traffic before a .NET server runs its
        // optimised code; the peer gets the same warm-up so neither is measured cold.
        foreach (var (_, build) in scenarios)
        {
            await LoadRunner.RunAsync(http, build, options.Clients.Max(), options.ServerWarmUp, TimeSpan.Zero, options.MaxRequests);
        }

        foreach (var (name, build) in scenarios)
        {
            foreach (var clients in options.Clients)
            {
                var outcome = await LoadRunner.RunAsync(http, build, clients, options.WarmUp, options.Duration, options.MaxRequests);
                report.AddSmall(target.Name, name, clients, outcome.Stats);
                if (outcome.FirstError is { } error)
                {
                    Console.WriteLine($"  first error: {error}");
                    report.Failed = true;
                }
            }
        }
    }

    private static async Task LargeObjectAsync(HttpClient http, S3Client client, S3Target target, S3Options options, S3Report report)
    {
        var block = RandomNumberGenerator.GetBytes(1 << 20);
        const string Key = "large/object";
        // Generous but finite: 5 MB/s would be far below any disk this runs on.
        var deadline = TimeSpan.FromSeconds(Math.Max(60, options.LargeSize / 5e6));

        var before = RssSampler.ReadKiB(target.ProcessId);
        await using (var sampler = RssSampler.Start(target.ProcessId, RssInterval))
        {
            using var timeout = new CancellationTokenSource(deadline);
            var started = Stopwatch.GetTimestamp();
            using var request = client.Build(HttpMethod.Put, Bucket, Key, content: new RepeatingContent(block, options.LargeSize));
            using var response = await http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var peak = await sampler.StopAsync();
            var error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}: {text}";
            report.AddLarge(target.Name, $"PUT {Size(options.LargeSize)}", options.LargeSize, seconds, before, peak, error);
        }

        before = RssSampler.ReadKiB(target.ProcessId);
        await using (var sampler = RssSampler.Start(target.ProcessId, RssInterval))
        {
            using var timeout = new CancellationTokenSource(deadline);
            var started = Stopwatch.GetTimestamp();
            using var request = client.Build(HttpMethod.Get, Bucket, Key);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            long received = 0;
            string? error = null;
            if (response.IsSuccessStatusCode)
            {
                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    received += read;
                }

                error = received == options.LargeSize ? null : $"received {received} of {options.LargeSize} bytes";
            }
            else
            {
                error = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(timeout.Token)}";
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var peak = await sampler.StopAsync();
            report.AddLarge(target.Name, $"GET {Size(options.LargeSize)}", received, seconds, before, peak, error);
        }
    }

    private static async Task ListingAsync(HttpClient http, S3Client client, S3Target target, S3Options options, S3Report report)
    {
        // The keys: small PUTs from N concurrent clients, bounded by --create-timeout.
        var body = RandomNumberGenerator.GetBytes(16);
        long next = -1, created = 0, errors = 0;
        string? firstError = null;
        using var createTimeout = new CancellationTokenSource(options.CreateTimeout);
        var started = Stopwatch.GetTimestamp();
        async Task CreateAsync()
        {
            long index;
            while (!createTimeout.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < options.ListKeys)
            {
                try
                {
                    await client.PutAsync(http, Bucket, $"list/{index:D7}", body, createTimeout.Token);
                    Interlocked.Increment(ref created);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.ListClients).Select(_ => Task.Run(CreateAsync)));
        var createSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"  created {created:N0} keys in {createSeconds:F1} s ({errors} errors{(firstError is null ? "" : ", first: " + firstError)})");

        // The listing: every page of max-keys 1000, bounded by --list-timeout per pass.
        var passes = new List<ListPass>();
        for (var pass = 0; pass < options.ListPasses; pass++)
        {
            using var listTimeout = new CancellationTokenSource(options.ListTimeout);
            var listed = 0L;
            var pages = 0;
            string? token = null;
            var complete = false;
            string? error = null;
            var listStarted = Stopwatch.GetTimestamp();
            try
            {
                do
                {
                    var page = await client.ListPageAsync(http, Bucket, "list/", 1000, token, listTimeout.Token);
                    listed += page.Keys;
                    pages++;
                    token = page.NextContinuationToken;
                    complete = !page.IsTruncated;
                }
                while (!complete);
            }
            catch (OperationCanceledException) when (listTimeout.IsCancellationRequested)
            {
                // Capped: reported as an incomplete pass with its rate so far.
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
            {
                error = e.Message;
            }

            var listPass = new ListPass(listed, pages, Stopwatch.GetElapsedTime(listStarted).TotalSeconds, complete, error);
            Console.WriteLine($"  list pass {pass + 1}: {listPass.Keys:N0} keys, {listPass.Pages} pages, {listPass.Seconds:F2} s{(listPass.Note(options.ListTimeout) is { } note ? ", " + note : "")}");
            passes.Add(listPass);
            if (!complete)
            {
                break;
            }
        }

        report.AddListing(target.Name, created, errors, createSeconds, passes);
    }

    internal static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };

    internal static string Mib(long? kib) => kib is { } k ? (k / 1024.0).ToString("F0", CultureInfo.InvariantCulture) : "n/a";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
