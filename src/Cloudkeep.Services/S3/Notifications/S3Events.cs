using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Notifications;

/// <summary>
/// Emits an event to the bucket's matching destinations after the write that caused it committed,
/// before the request is answered: an acknowledged write's event is queued for delivery. A topic
/// whose policy no longer lets S3 publish is skipped, as S3 drops such events.
/// </summary>
public static class S3Events
{
    public static async Task EmitAsync(S3Context s3, OperationRequest request, BucketState bucket, string eventName, S3EventMessage.ObjectEvent item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(bucket);
        if (s3.Notifications is not { } publisher || bucket.Config.Get(BucketNotifications.Part) is null)
        {
            return;
        }

        foreach (var destination in BucketNotifications.Of(bucket).Where(d => d.Wants(eventName, item.Key)))
        {
            if (await publisher.AllowedTopicAsync(destination.TopicArn, BucketNotifications.ServicePrincipal, S3Arns.ForBucket(bucket.Name), bucket.AccountId, cancellationToken) is { } topic)
            {
                var message = S3EventMessage.Record(bucket.Region, eventName, request.Caller, request.SourceIp, request.RequestId, destination.Id, bucket, item);
                await publisher.PublishAsync(topic, S3EventMessage.Subject, message, cancellationToken);
            }
        }
    }

    public static S3EventMessage.ObjectEvent Of(S3ObjectRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Key, record.Size, record.ETag, record.VersionId == "null" ? null : record.VersionId, record.LastModified);
    }
}
