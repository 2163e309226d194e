namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// The engine still refused to order a transaction against concurrent ones after every retry
/// (PostgreSQL serialization failures under heavy contention). Nothing of it was committed, so the
/// request may be retried as it is: the pipeline answers 503 (S3's SlowDown, the other services'
/// ServiceUnavailable), which AWS's SDKs retry with back-off, never a 500.
/// </summary>
public sealed class StoreBusyException : Exception
{
    public StoreBusyException()
    {
    }

    public StoreBusyException(string message)
        : base(message)
    {
    }

    public StoreBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
