using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// The "lifecycle" scenario (issue A): --list-keys objects become due at once (a rule whose
/// Expiration Date is today's midnight UTC), and small GETs on another bucket are measured before
/// and while the server's lifecycle job expires them, in one-second windows. Run the server with a
/// short --lifecycle-interval so the pass starts within the measurement.
/// </summary>
internal static class LifecycleBench
{
    private const string Expiring = "cloudkeep-bench-expiring";
    private const string Reads = "cloudkeep-bench-reads";
    private const int GetKeys = 256;

    public static async Task RunAsync(HttpClient http, S3Client client, S3Options options)
    {
        using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await client.CreateBucketAsync(http, Expiring, setup.Token);
            await client.CreateBucketAsync(http, Reads, setup.Token);
        }

        var small = RandomNumberGenerator.GetBytes(options.SmallSize);
        for (var i = 0; i < GetKeys; i++)
        {
            await client.PutAsync(http, Reads, $"get/{i:D4}", small, CancellationToken.None);
        }

        var body = RandomNumberGenerator.GetBytes(16);
        var started = Stopwatch.GetTimestamp();
        using (var timeout = new CancellationTokenSource(options.CreateTimeout))
        {
            long next = -1;
            await Task.WhenAll(Enumerable.Range(0, options.ListClients).Select(_ => Task.Run(async () =>
            {
                long index;
                while ((index = Interlocked.Increment(ref next)) < options.ListKeys)
                {
                    await client.PutAsync(http, Expiring, $"due/{index:D7}", body, timeout.Token);
                }
            })));
        }

        Console.WriteLine($"  {Expiring}: {options.ListKeys:N0} objects in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        var clients = options.Clients.Max();
        HttpRequestMessage Get() => client.Build(HttpMethod.Get, Reads, $"get/{Random.Shared.Next(GetKeys):D4}");
        await LoadRunner.RunAsync(http, Get, clients, options.ServerWarmUp, TimeSpan.Zero, options.MaxRequests);

        // Before and during are measured alike: one-second windows of GETs, each followed by a count
        // of what is left (itself 100 list pages), so only the job differs.
        var before = new List<LatencyStats>();
        for (var i = 0; i < Math.Max(3, (int)options.Duration.TotalSeconds); i++)
        {
            before.Add((await LoadRunner.RunAsync(http, Get, clients, TimeSpan.Zero, TimeSpan.FromSeconds(1), options.MaxRequests)).Stats);
            _ = await CountAsync(http, client);
        }

        var baselineP99 = before.Select(w => w.P99Ms).Order().ElementAt(before.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  before: GET x{clients} {before.Average(w => w.RequestsPerSecond):N0}/s, p99 per second: median {baselineP99:F2} ms, worst {before.Max(w => w.P99Ms):F2} ms"));

        await PutDueRuleAsync(http, client);
        var expiryStarted = Stopwatch.GetTimestamp();
        var windows = new List<LatencyStats>();
        var remaining = (long)options.ListKeys;
        while (remaining > 0 && Stopwatch.GetElapsedTime(expiryStarted) < TimeSpan.FromMinutes(10))
        {
            var window = await LoadRunner.RunAsync(http, Get, clients, TimeSpan.Zero, TimeSpan.FromSeconds(1), options.MaxRequests);
            remaining = await CountAsync(http, client);
            windows.Add(window.Stats);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  t+{Stopwatch.GetElapsedTime(expiryStarted).TotalSeconds:F0} s: {remaining:N0} left, GET {window.Stats.RequestsPerSecond:N0}/s p99 {window.Stats.P99Ms:F2} ms"));
        }

        var during = windows.Where(w => w.Requests > 0).ToList();
        var worst = during.Count == 0 ? 0 : during.Max(w => w.P99Ms);
        var median = during.Count == 0 ? 0 : during.Select(w => w.P99Ms).Order().ElementAt(during.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  lifecycle: {options.ListKeys:N0} objects expired in {Stopwatch.GetElapsedTime(expiryStarted).TotalSeconds:F0} s (left {remaining:N0}); GET p99 per second during: median {median:F2} ms ({median / baselineP99:F2}x before), worst {worst:F2} ms ({worst / before.Max(w => w.P99Ms):F2}x the worst before)"));
    }

    private static Task PutDueRuleAsync(HttpClient http, S3Client client)
    {
        var today = DateTime.UtcNow.Date.ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);
        return client.PutConfigurationAsync(http, Expiring, "lifecycle",
            "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>due-now</ID><Filter><Prefix>due/</Prefix></Filter>" +
            $"<Status>Enabled</Status><Expiration><Date>{today}</Date></Expiration></Rule></LifecycleConfiguration>", CancellationToken.None);
    }

    private static Task<long> CountAsync(HttpClient http, S3Client client) => client.CountAsync(http, Expiring, "due/", CancellationToken.None);
}
