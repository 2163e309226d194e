namespace Cloudkeep.Protocol.SigV4;

/// <summary>How the body of a request is covered by its signature (the x-amz-content-sha256 value).</summary>
public enum PayloadMode
{
    /// <summary>The signature covers a hex SHA-256 of the whole body, to be checked as it streams.</summary>
    Sha256,
    UnsignedPayload,
    StreamingSigned,
    StreamingSignedTrailer,
    StreamingUnsignedTrailer,
}
