namespace Cloudkeep.LoadGenerator.S3;

/// <summary>
/// One walk through every ListObjectsV2 page of the listing prefix. A pass the time cap stopped is
/// incomplete but not an error: a slow server is a result.
/// </summary>
internal sealed record ListPass(long Keys, int Pages, double Seconds, bool Complete, string? Error)
{
    public string? Note(TimeSpan cap) => Error ?? (Complete ? null : $"stopped by --list-timeout {cap.TotalSeconds} s");

    public double KeysPerSecond => Seconds > 0 ? Keys / Seconds : 0;
}
