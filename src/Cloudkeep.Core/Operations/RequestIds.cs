namespace Cloudkeep.Core.Operations;

/// <summary>The ids S3 and the other services give each request (x-amz-request-id, x-amzn-RequestId).</summary>
public static class RequestIds
{
    /// <summary>
    /// 8 random bytes as 16 upper-case hex digits, the form S3's request ids take. A request id labels a
    /// request in logs and events and is echoed to the caller; it guards nothing, so it comes from the
    /// runtime's fast per-thread generator: the operating system's generator (OpenSSL's, behind
    /// RandomNumberGenerator) cost a system call on every request (docs/performance.md).
    /// </summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[8];
        Random.Shared.NextBytes(bytes);
        return Convert.ToHexString(bytes);
    }
}
