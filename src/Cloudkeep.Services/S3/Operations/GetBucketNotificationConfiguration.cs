using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Notifications;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetBucketNotification: the stored configuration, or an empty one.</summary>
public sealed class GetBucketNotificationConfiguration(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetBucketNotificationConfiguration";

    protected override string Action => "s3:GetBucketNotification";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        return new OperationResult(BucketNotifications.Output(bucket));
    }
}
