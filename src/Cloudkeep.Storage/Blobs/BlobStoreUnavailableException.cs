namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// The blob backend could not be reached, failed, or refused the store's credentials or bucket. Nothing was made
/// visible by the failed call (a write's metadata row is committed only after its blob is durable), so the request may
/// be retried as it is: the pipeline answers 503, as AWS does when a backend is unavailable, never a 500. The message
/// names the backend and what failed, never a credential.
/// </summary>
public sealed class BlobStoreUnavailableException : Exception
{
    public BlobStoreUnavailableException()
    {
    }

    public BlobStoreUnavailableException(string message)
        : base(message)
    {
    }

    public BlobStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
