using System.Globalization;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>Collects the rows of every target and prints them as Markdown tables, plus the ratios to the first target.</summary>
internal sealed class S3Report(S3Options options)
{
    private readonly List<(string Target, string Operation, int Clients, LatencyStats Stats)> _small = [];
    private readonly List<(string Target, string Operation, long Bytes, double Seconds, long? RssBeforeKiB, long RssPeakKiB, string? Error)> _large = [];
    private readonly List<(string Target, long Created, long Errors, double CreateSeconds, IReadOnlyList<ListPass> Passes)> _listing = [];

    public DiskBaseline? Disk { get; set; }

    public double? SmallFileSyncMs { get; set; }

    public bool Failed { get; set; }

    public void AddSmall(string target, string operation, int clients, LatencyStats stats)
    {
        _small.Add((target, operation, clients, stats));
        Console.WriteLine(SmallRow(target, operation, clients, stats));
        Failed |= stats.Errors > 0;
    }

    public void AddLarge(string target, string operation, long bytes, double seconds, long? rssBeforeKiB, long rssPeakKiB, string? error)
    {
        _large.Add((target, operation, bytes, seconds, rssBeforeKiB, rssPeakKiB, error));
        Console.WriteLine(LargeRow(_large[^1]));
        Failed |= error is not null;
    }

    public void AddListing(string target, long created, long errors, double createSeconds, IReadOnlyList<ListPass> passes)
    {
        _listing.Add((target, created, errors, createSeconds, passes));
        Failed |= errors > 0 || passes.Any(p => p.Error is not null || (p.Complete && p.Keys != created));
    }

    public void Print(TextWriter output)
    {
        if (_small.Count > 0)
        {
            output.WriteLine(Invariant($"Small objects: per row {options.WarmUp.TotalSeconds} s warm-up, {options.Duration.TotalSeconds} s measured (after {options.ServerWarmUp.TotalSeconds} s per operation at {options.Clients.Max()} clients); latency is the HTTP round trip (signing excluded)"));
            output.WriteLine();
            output.WriteLine("| server | operation | clients | requests | requests/s | p50 ms | p99 ms | max ms | errors |");
            output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (target, operation, clients, stats) in _small)
            {
                output.WriteLine(SmallRow(target, operation, clients, stats));
            }

            if (SmallFileSyncMs is { } syncMs)
            {
                output.WriteLine();
                output.WriteLine(Invariant($"Disk: a new {S3Bench.Size(options.SmallSize)} file written and fsynced takes {syncMs:F2} ms (median of 200) on the same file system."));
            }

            output.WriteLine();
            PrintRatios(output);
        }

        if (_large.Count > 0)
        {
            output.WriteLine("Large object: one transfer each way; RSS of the server process sampled every 20 ms from /proc/<pid>/status");
            output.WriteLine();
            output.WriteLine("| server | operation | seconds | MB/s | RSS before MiB | peak RSS MiB | error |");
            output.WriteLine("|---|---|---:|---:|---:|---:|---|");
            foreach (var row in _large)
            {
                output.WriteLine(LargeRow(row));
            }

            if (Disk is { } disk)
            {
                output.WriteLine(Invariant($"| (disk, same file system) | write {S3Bench.Size(disk.Bytes)} + fsync | {disk.WriteAndSyncSeconds:F2} | {DiskBaseline.MegabytesPerSecond(disk.Bytes, disk.WriteAndSyncSeconds):N0} | | | page cache only: {DiskBaseline.MegabytesPerSecond(disk.Bytes, disk.WriteSeconds):N0} MB/s |"));
                output.WriteLine(Invariant($"| (disk, same file system) | read {S3Bench.Size(disk.Bytes)} | {disk.ReadSeconds:F2} | {DiskBaseline.MegabytesPerSecond(disk.Bytes, disk.ReadSeconds):N0} | | | |"));
            }

            output.WriteLine();
        }

        if (_listing.Count > 0)
        {
            output.WriteLine(Invariant($"Listing: {options.ListKeys:N0} keys of 16 B created by {options.ListClients} concurrent PUTs, then ListObjectsV2 with max-keys 1000 through every page ({options.ListPasses} passes, best shown)"));
            output.WriteLine();
            output.WriteLine("| server | keys created | create s | PUTs/s | pages | list s (best pass) | keys/s listed | all passes s | error |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
            foreach (var (target, created, errors, createSeconds, passes) in _listing)
            {
                var best = passes.Where(p => p.Complete).MinBy(p => p.Seconds) ?? passes.MaxBy(p => p.Keys);
                var error = passes.Select(p => p.Note(options.ListTimeout)).FirstOrDefault(e => e is not null) ?? (errors > 0 ? $"{errors} PUT errors" : "");
                output.WriteLine(Invariant($"| {target} | {created:N0} | {createSeconds:F1} | {(createSeconds > 0 ? created / createSeconds : 0):N0} | {best?.Pages} | {best?.Seconds:F2} | {best?.KeysPerSecond:N0} | {string.Join(" / ", passes.Select(p => p.Seconds.ToString("F2", CultureInfo.InvariantCulture)))} | {error} |"));
            }

            output.WriteLine();
        }
    }

    /// <summary>Requests/s of every other target relative to the first (the harness passes Cloudkeep first).</summary>
    private void PrintRatios(TextWriter output)
    {
        var first = _small[0].Target;
        var others = _small.Select(r => r.Target).Distinct().Where(t => t != first).ToList();
        foreach (var other in others)
        {
            output.WriteLine($"| operation | clients | {first} requests/s | {other} requests/s | {first} / {other} |");
            output.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var row in _small.Where(r => r.Target == first))
            {
                var peer = _small.FirstOrDefault(r => r.Target == other && r.Operation == row.Operation && r.Clients == row.Clients);
                if (peer.Stats is { } peerStats)
                {
                    var ratio = peerStats.RequestsPerSecond > 0 ? row.Stats.RequestsPerSecond / peerStats.RequestsPerSecond : double.NaN;
                    output.WriteLine(Invariant($"| {row.Operation} | {row.Clients} | {row.Stats.RequestsPerSecond:N0} | {peerStats.RequestsPerSecond:N0} | {ratio:F1}x |"));
                }
            }

            output.WriteLine();
        }
    }

    private static string SmallRow(string target, string operation, int clients, LatencyStats s) =>
        Invariant($"| {target} | {operation} | {clients} | {s.Requests:N0} | {s.RequestsPerSecond:N0} | {s.P50Ms:F2} | {s.P99Ms:F2} | {s.MaxMs:F1} | {s.Errors} |");

    private static string LargeRow((string Target, string Operation, long Bytes, double Seconds, long? RssBeforeKiB, long RssPeakKiB, string? Error) row) =>
        Invariant($"| {row.Target} | {row.Operation} | {row.Seconds:F2} | {DiskBaseline.MegabytesPerSecond(row.Bytes, row.Seconds):N0} | {S3Bench.Mib(row.RssBeforeKiB)} | {S3Bench.Mib(row.RssPeakKiB)} | {row.Error} |");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
