namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// Where work a service does on its own (S3 replication assuming its role) reports the calls CloudTrail
/// records for it, since they never pass through the request pipeline's record step. Implemented by
/// the server's recorder, which queues them like requests' events.
/// </summary>
public interface IServiceCallRecorder
{
    /// <summary>Queues the event; waits for room when the queue is full (never drops it).</summary>
    ValueTask RecordAsync(AuditCall serviceCall);
}
