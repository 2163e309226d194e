using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:DeleteBucket: only an empty bucket (BucketNotEmpty otherwise); abandoned multipart uploads go with it.</summary>
public sealed class DeleteBucket(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "DeleteBucket";

    protected override string Action => "s3:DeleteBucket";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        S3.Forget(bucket.Name);
        var blobs = await S3.Repository.DeleteBucketAsync(bucket.Name, cancellationToken) ?? throw S3Errors.BucketNotEmpty.ToException();
        S3.Forget(bucket.Name);
        await S3.DeleteBlobsAsync(blobs);
        return OperationResult.Empty;
    }
}
