using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Notifications;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutBucketNotification: replaces the bucket's event notifications (SNS topics), checked and tested as S3 does; an empty configuration turns them off.</summary>
public sealed class PutBucketNotificationConfiguration(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "PutBucketNotificationConfiguration";

    protected override string Action => "s3:PutBucketNotification";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var configuration = await BucketNotifications.ValidateAsync(S3, bucket, S3Input.Object(request.Input, "NotificationConfiguration"), request.RequestId, cancellationToken);
        await S3.SaveConfigAsync(bucket, bucket.Config.With(BucketNotifications.Part, configuration), cancellationToken);
        return OperationResult.Empty;
    }
}
