using System.Globalization;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// Samples a process's resident set size (VmRSS in /proc/&lt;pid&gt;/status) on a timer and keeps the
/// peak: enough to show whether a server's memory grows with the size of a transfer.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakKiB;

    private RssSampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _peakKiB = ReadKiB(pid) ?? 0;
        _loop = Task.Run(() => LoopAsync(interval));
    }

    public long PeakKiB => Interlocked.Read(ref _peakKiB);

    public static RssSampler Start(int pid, TimeSpan interval) => new(pid, interval);

    /// <summary>VmRSS in KiB from the text of /proc/&lt;pid&gt;/status, or null when the line is missing (a kernel thread, a zombie).</summary>
    public static long? ParseVmRssKiB(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["VmRSS:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[1] == "kB" && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                return kib;
            }

            throw new FormatException($"unexpected VmRSS line: {line}");
        }

        return null;
    }

    public static long? ReadKiB(int pid)
    {
        try
        {
            return ParseVmRssKiB(File.ReadAllText($"/proc/{pid}/status"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Stops sampling, takes one last sample and returns the peak in KiB.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        return PeakKiB;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        if (ReadKiB(_pid) is { } kib && kib > Interlocked.Read(ref _peakKiB))
        {
            Interlocked.Exchange(ref _peakKiB, kib);
        }
    }
}
