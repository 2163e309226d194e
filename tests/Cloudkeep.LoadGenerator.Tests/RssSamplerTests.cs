using Cloudkeep.LoadGenerator.S3;

namespace Cloudkeep.LoadGenerator.Tests;

public sealed class RssSamplerTests
{
    [Fact]
    public void ParseVmRssKiB_StatusText_ReadsKiB()
    {
        const string Status = "Name:\tdotnet\nVmPeak:\t 2048000 kB\nVmHWM:\t  120000 kB\nVmRSS:\t  109876 kB\nRssAnon:\t   90000 kB\n";

        Assert.Equal(109876, RssSampler.ParseVmRssKiB(Status));
    }

    [Fact]
    public void ParseVmRssKiB_NoRssLine_IsNull() =>
        Assert.Null(RssSampler.ParseVmRssKiB("Name:\tkthreadd\nState:\tS (sleeping)\n"));

    [Fact]
    public void ParseVmRssKiB_UnexpectedUnit_Throws() =>
        Assert.Throws<FormatException>(() => RssSampler.ParseVmRssKiB("VmRSS:\t 12 MB\n"));

    [Fact]
    public async Task Start_ThisProcess_ReportsAPeak()
    {
        // The benchmark runs on Linux only (/proc), and so do these tests.
        await using var sampler = RssSampler.Start(Environment.ProcessId, TimeSpan.FromMilliseconds(5));
        await Task.Delay(30);

        var peak = await sampler.StopAsync();

        Assert.InRange(peak, 1024, 64L * 1024 * 1024);
        Assert.Equal(peak, sampler.PeakKiB);
    }
}
