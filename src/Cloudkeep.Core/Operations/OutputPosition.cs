namespace Cloudkeep.Core.Operations;

/// <summary>
/// Where an output item stands among the items of its shape's other lists: S3's ListObjectVersions
/// answers versions and delete markers as two lists whose elements interleave in key and age order,
/// and clients that read them in document order (the AWS SDK for .NET) depend on it. The protocol
/// layer writes positioned items merged in this order; the member is never a model name.
/// </summary>
public static class OutputPosition
{
    public const string Member = "$position";
}
