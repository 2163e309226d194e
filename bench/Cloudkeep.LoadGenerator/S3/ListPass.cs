namespace Cloudkeep.LoadGenerator.S3;

/// <summary>One walk through every ListObjectsV2 page of the listing prefix.</summary>
internal sealed record ListPass(long Keys, int Pages, double Seconds, bool Complete, string? Error)
{
    public double KeysPerSecond => Seconds > 0 ? Keys / Seconds : 0;
}
