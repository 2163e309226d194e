using Cloudkeep.LoadGenerator.S3;

namespace Cloudkeep.LoadGenerator.Tests;

public sealed class S3ReportTests
{
    private static readonly S3Options Options = S3Options.Parse(
        ["--target", "name=Cloudkeep,endpoint=http://127.0.0.1:1/,pid=1,access-key=a,secret-key=s", "--target", "name=peer,endpoint=http://127.0.0.1:2/,pid=2,access-key=S3RVER,secret-key=S3RVER"]);

    [Fact]
    public void Print_TwoTargets_RatioIsFirstOverPeer()
    {
        var report = new S3Report(Options);
        report.AddSmall("Cloudkeep", "GET 4 KiB", 16, new LatencyStats(3000, 0, 1, 1, 2, 3));
        report.AddSmall("peer", "GET 4 KiB", 16, new LatencyStats(1000, 0, 1, 1, 2, 3));
        using var output = new StringWriter();

        report.Print(output);

        Assert.Contains("| GET 4 KiB | 16 | 3,000 | 1,000 | 3.0x |", output.ToString(), StringComparison.Ordinal);
        Assert.False(report.Failed);
    }

    [Fact]
    public void AddListing_PassStoppedByCap_IsAResultNotAFailure()
    {
        var report = new S3Report(Options);
        report.AddListing("peer", created: 100, errors: 0, createSeconds: 1, [new ListPass(50, 1, 60, Complete: false, Error: null)]);
        using var output = new StringWriter();

        report.Print(output);

        Assert.False(report.Failed);
        Assert.Contains("stopped by --list-timeout 60 s", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, true, null, 0, false)]
    [InlineData(99, true, null, 0, true)]
    [InlineData(100, true, null, 1, true)]
    [InlineData(40, false, "ListObjectsV2: HTTP 500", 0, true)]
    public void AddListing_Outcome_FailsOnErrorsOrMissingKeys(long listed, bool complete, string? error, long putErrors, bool failed)
    {
        var report = new S3Report(Options);

        report.AddListing("peer", created: 100, errors: putErrors, createSeconds: 1, [new ListPass(listed, 1, 1, complete, error)]);

        Assert.Equal(failed, report.Failed);
    }

    [Fact]
    public void AddLarge_Error_MarksRunFailed()
    {
        var report = new S3Report(Options);

        report.AddLarge("peer", "GET 1 GiB", 10, 1, 100, 200, "received 10 of 1073741824 bytes");

        Assert.True(report.Failed);
    }
}
