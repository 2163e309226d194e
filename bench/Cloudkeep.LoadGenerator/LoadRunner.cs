using System.Diagnostics;

namespace Cloudkeep.LoadGenerator;

/// <summary>
/// Drives one request shape with N concurrent clients over one HttpClient for warm-up + duration,
/// each request freshly signed. Bounded in time and in count; stops by itself.
/// </summary>
internal static class LoadRunner
{
    /// <summary>What a row measured; <paramref name="ServerCpu"/> is the server's CPU time over the measured window, when asked for.</summary>
    public sealed record Outcome(LatencyStats Stats, string? FirstError, TimeSpan? ServerCpu = null)
    {
        /// <summary>The server's CPU per answered request in microseconds: a steadier figure than requests/s on a shared machine.</summary>
        public double? ServerCpuMicrosecondsPerRequest => ServerCpu is { } cpu && Stats.Requests > 0 ? cpu.TotalMicroseconds / Stats.Requests : null;
    }

    public static Task<Outcome> RunAsync(HttpClient http, QueryClient client, string body, int clients, TimeSpan warmUp, TimeSpan duration, long maxRequests, Func<TimeSpan>? serverCpu = null) =>
        RunAsync(http, () => client.Build(body), clients, warmUp, duration, maxRequests, serverCpu);

    /// <summary>Same, for any request shape: <paramref name="build"/> makes a freshly signed request per call (from any worker).</summary>
    public static async Task<Outcome> RunAsync(HttpClient http, Func<HttpRequestMessage> build, int clients, TimeSpan warmUp, TimeSpan duration, long maxRequests, Func<TimeSpan>? serverCpu = null)
    {
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var cpuWindow = serverCpu is null ? null : Task.Run(async () =>
        {
            var untilStart = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureFrom);
            if (untilStart > TimeSpan.Zero)
            {
                await Task.Delay(untilStart);
            }

            var before = serverCpu();
            await Task.Delay(duration);
            return serverCpu() - before;
        });
        long issued = 0;
        long errors = 0;
        string? firstError = null;
        var perWorker = new List<double>[clients];

        async Task WorkerAsync(int index)
        {
            var latencies = perWorker[index] = new List<double>(64 * 1024);
            while (Stopwatch.GetTimestamp() < stopAt && Interlocked.Increment(ref issued) <= maxRequests)
            {
                using var request = build();
                var sent = Stopwatch.GetTimestamp();
                string? error = null;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    if (!response.IsSuccessStatusCode)
                    {
                        error = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                    }
                }
                catch (HttpRequestException e)
                {
                    error = e.Message;
                }
                catch (TaskCanceledException e)
                {
                    error = "timeout: " + e.Message;
                }

                var done = Stopwatch.GetTimestamp();
                if (sent < measureFrom || done > stopAt)
                {
                    continue;
                }

                if (error is null)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, done).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => WorkerAsync(i))));
        var measuredEnd = Math.Min(Stopwatch.GetTimestamp(), stopAt);
        var seconds = Math.Max(0, (measuredEnd - measureFrom) / (double)Stopwatch.Frequency);
        var all = new List<double>(perWorker.Sum(l => l.Count));
        foreach (var list in perWorker)
        {
            all.AddRange(list);
        }

        return new Outcome(LatencyStats.From(all, Interlocked.Read(ref errors), seconds), firstError, cpuWindow is null ? null : await cpuWindow);
    }
}
