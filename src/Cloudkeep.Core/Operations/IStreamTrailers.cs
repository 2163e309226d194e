namespace Cloudkeep.Core.Operations;

/// <summary>
/// A request body that carries trailing headers after its data (S3's aws-chunked encoding with
/// x-amz-trailer): a checksum the client computed while sending. Known only once the body is read.
/// </summary>
public interface IStreamTrailers
{
    IReadOnlyDictionary<string, string> Trailers { get; }
}
