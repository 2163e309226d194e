using System.Diagnostics;

namespace Cloudkeep.LoadGenerator;

/// <summary>
/// Drives one request shape with N concurrent clients over one HttpClient for warm-up + duration,
/// each request freshly signed. Bounded in time and in count; stops by itself.
/// </summary>
internal static class LoadRunner
{
    public sealed record Outcome(LatencyStats Stats, string? FirstError);

    public static Task<Outcome> RunAsync(HttpClient http, QueryClient client, string body, int clients, TimeSpan warmUp, TimeSpan duration, long maxRequests) =>
        RunAsync(http, () => client.Build(body), clients, warmUp, duration, maxRequests);

    /// <summary>Same, for any request shape: <paramref name="build"/> makes a freshly signed request per call (from any worker).</summary>
    public static async Task<Outcome> RunAsync(HttpClient http, Func<HttpRequestMessage> build, int clients, TimeSpan warmUp, TimeSpan duration, long maxRequests)
    {
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
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

        return new Outcome(LatencyStats.From(all, Interlocked.Read(ref errors), seconds), firstError);
    }
}
