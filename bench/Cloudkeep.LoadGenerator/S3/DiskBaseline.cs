using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// What "disk speed" means on this machine: the large-object size written to the temporary
/// directory's file system in 1 MiB writes (time to the last write, then to fsync), and read back.
/// The read usually comes from the page cache, as the servers' GETs of a just-written object do.
/// Also the latency of writing a small file and fsyncing it: the floor of a PUT that is durable
/// before it is acknowledged.
/// </summary>
internal sealed record DiskBaseline(long Bytes, double WriteSeconds, double WriteAndSyncSeconds, double ReadSeconds)
{
    /// <summary>Median milliseconds of create + write <paramref name="size"/> bytes + fsync + close, over <paramref name="count"/> new files.</summary>
    public static double SmallFileSyncMs(int size, int count)
    {
        var directory = Directory.CreateTempSubdirectory("cloudkeep-s3bench-fsync-").FullName;
        var body = RandomNumberGenerator.GetBytes(size);
        var samples = new List<double>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using (var file = new FileStream(Path.Combine(directory, i.ToString(CultureInfo.InvariantCulture)), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
                {
                    file.Write(body);
                    file.Flush(flushToDisk: true);
                }

                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        samples.Sort();
        return LatencyStats.Percentile(samples, 50);
    }

    public static async Task<DiskBaseline> MeasureAsync(long bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cloudkeep-s3bench-disk-{Guid.NewGuid():N}");
        var block = RandomNumberGenerator.GetBytes(1 << 20);
        try
        {
            var started = Stopwatch.GetTimestamp();
            double written;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                for (var left = bytes; left > 0; left -= block.Length)
                {
                    await file.WriteAsync(block.AsMemory(0, (int)Math.Min(left, block.Length)));
                }

                written = Stopwatch.GetElapsedTime(started).TotalSeconds;
                file.Flush(flushToDisk: true);
            }

            var synced = Stopwatch.GetElapsedTime(started).TotalSeconds;
            started = Stopwatch.GetTimestamp();
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                while (await file.ReadAsync(block) > 0)
                {
                }
            }

            return new DiskBaseline(bytes, written, synced, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static double MegabytesPerSecond(long bytes, double seconds) => seconds > 0 ? bytes / seconds / 1e6 : 0;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"disk ({Path.GetTempPath()}): write {S3Bench.Size(Bytes)} {MegabytesPerSecond(Bytes, WriteSeconds):N0} MB/s to the page cache, {MegabytesPerSecond(Bytes, WriteAndSyncSeconds):N0} MB/s including fsync; read back {MegabytesPerSecond(Bytes, ReadSeconds):N0} MB/s");
}
