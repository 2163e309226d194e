using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// The "versions" scenario (issue A): the same number of keys in an unversioned bucket and in a
/// versioned one where every key has several versions, then full ListObjectsV2 passes over each
/// and small GETs from each, alternated so both see the same machine. Prints the ratios.
/// </summary>
internal static class VersionsBench
{
    private const string Flat = "cloudkeep-bench-flat";
    private const string Versioned = "cloudkeep-bench-versioned";
    private const int GetKeys = 256;

    public static async Task RunAsync(HttpClient http, S3Client client, S3Options options)
    {
        using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await client.CreateBucketAsync(http, Flat, setup.Token);
            await client.CreateBucketAsync(http, Versioned, setup.Token);
            await client.PutConfigurationAsync(http, Versioned, "versioning",
                "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>", setup.Token);
        }

        var body = RandomNumberGenerator.GetBytes(16);
        var started = Stopwatch.GetTimestamp();
        await PopulateAsync(http, client, Flat, options.ListKeys, 1, body, options);
        Console.WriteLine($"  {Flat}: {options.ListKeys:N0} keys in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        started = Stopwatch.GetTimestamp();
        await PopulateAsync(http, client, Versioned, options.ListKeys, options.Versions, body, options);
        Console.WriteLine($"  {Versioned}: {options.ListKeys:N0} keys x {options.Versions} versions in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");

        var small = RandomNumberGenerator.GetBytes(options.SmallSize);
        using (var setup = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            for (var i = 0; i < GetKeys; i++)
            {
                await client.PutAsync(http, Flat, $"get/{i:D4}", small, setup.Token);
                for (var v = 0; v < options.Versions; v++)
                {
                    await client.PutAsync(http, Versioned, $"get/{i:D4}", small, setup.Token);
                }
            }
        }

        var listSeconds = new Dictionary<string, List<double>> { [Flat] = [], [Versioned] = [] };
        var getRates = new Dictionary<string, List<double>> { [Flat] = [], [Versioned] = [] };
        var getP99 = new Dictionary<string, List<double>> { [Flat] = [], [Versioned] = [] };
        var clients = options.Clients.Max();
        foreach (var bucket in new[] { Flat, Versioned })
        {
            // Warm both paths before anything is measured.
            await LoadRunner.RunAsync(http, () => client.Build(HttpMethod.Get, bucket, $"get/{Random.Shared.Next(GetKeys):D4}"), clients, options.ServerWarmUp, TimeSpan.Zero, options.MaxRequests);
        }

        for (var round = 0; round < Math.Max(1, options.ListPasses); round++)
        {
            foreach (var bucket in round % 2 == 0 ? new[] { Flat, Versioned } : new[] { Versioned, Flat })
            {
                listSeconds[bucket].Add(await ListAllAsync(http, client, bucket, options.ListKeys));
                var outcome = await LoadRunner.RunAsync(http, () => client.Build(HttpMethod.Get, bucket, $"get/{Random.Shared.Next(GetKeys):D4}"), clients, options.WarmUp, options.Duration, options.MaxRequests);
                getRates[bucket].Add(outcome.Stats.RequestsPerSecond);
                getP99[bucket].Add(outcome.Stats.P99Ms);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round + 1} {bucket}: list {listSeconds[bucket][^1]:F2} s, GET {SmallName(options)} x{clients} {outcome.Stats.RequestsPerSecond:N0}/s p50 {outcome.Stats.P50Ms:F2} ms p99 {outcome.Stats.P99Ms:F2} ms, errors {outcome.Stats.Errors}"));
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  versions: listing {options.ListKeys:N0} keys x{options.Versions} versions / unversioned = {Median(listSeconds[Versioned]) / Median(listSeconds[Flat]):F2} (time); " +
            $"GET versioned / unversioned = {Median(getRates[Versioned]) / Median(getRates[Flat]):F2} (rate), p99 {Median(getP99[Versioned]):F2} vs {Median(getP99[Flat]):F2} ms"));
    }

    private static string SmallName(S3Options options) => S3Bench.Size(options.SmallSize);

    /// <summary>Writes keys x versions small objects from --list-clients concurrent clients, bounded by --create-timeout.</summary>
    private static async Task PopulateAsync(HttpClient http, S3Client client, string bucket, int keys, int versions, byte[] body, S3Options options)
    {
        using var timeout = new CancellationTokenSource(options.CreateTimeout);
        long next = -1;
        var total = (long)keys * versions;
        await Task.WhenAll(Enumerable.Range(0, options.ListClients).Select(_ => Task.Run(async () =>
        {
            long index;
            while ((index = Interlocked.Increment(ref next)) < total)
            {
                // Round-robin over the keys, so each key's versions are written apart in time, as they would be.
                await client.PutAsync(http, bucket, $"list/{index % keys:D7}", body, timeout.Token);
            }
        })));
    }

    private static async Task<double> ListAllAsync(HttpClient http, S3Client client, string bucket, int expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var started = Stopwatch.GetTimestamp();
        var listed = await client.CountAsync(http, bucket, "list/", timeout.Token);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return listed == expected ? seconds : throw new InvalidOperationException($"{bucket}: listed {listed} keys, expected {expected}");
    }
}
