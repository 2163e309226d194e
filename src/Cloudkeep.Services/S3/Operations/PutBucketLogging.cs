using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Logging;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutBucketLogging: turns server access logging on (checked as S3 checks it) or off (an empty BucketLoggingStatus).</summary>
public sealed class PutBucketLogging(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "PutBucketLogging";

    protected override string Action => "s3:PutBucketLogging";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var enabled = await BucketLogging.ValidateAsync(S3, bucket, S3Input.Object(request.Input, "BucketLoggingStatus"), cancellationToken);
        await S3.SaveConfigAsync(bucket, bucket.Config.With(BucketLogging.Part, enabled), cancellationToken);
        return OperationResult.Empty;
    }
}
