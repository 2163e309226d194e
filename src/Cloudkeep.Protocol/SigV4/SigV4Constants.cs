namespace Cloudkeep.Protocol.SigV4;

/// <summary>Literal values of Signature Version 4 ("Create a signed AWS API request", AWS IAM User Guide).</summary>
public static class SigV4Constants
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    public const string ChunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD";
    public const string TrailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER";

    /// <summary>SHA-256 of the empty string, the payload hash of a body-less request.</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>AWS rejects requests whose time is more than 15 minutes off ("RequestTimeTooSkewed").</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    /// <summary>Presigned URLs live at most 7 days (X-Amz-Expires 604800).</summary>
    public const int MaxPresignedExpirySeconds = 604800;

    /// <summary>Whether a query parameter is one of query-string authentication's own (X-Amz-Credential, ...), not a header it carries.</summary>
    public static bool IsQueryAuthParameter(string name) =>
        name.Equals("X-Amz-Algorithm", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Amz-Credential", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Amz-Date", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Amz-Expires", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Amz-SignedHeaders", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Amz-Signature", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase);
}
