using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:AbortMultipartUpload: the upload and its parts' bytes go (NoSuchUpload when unknown).</summary>
public sealed class AbortMultipartUpload(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "AbortMultipartUpload";

    protected override string Action => "s3:AbortMultipartUpload";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var upload = await Multipart.RequireUploadAsync(S3, bucket.Name, S3Input.Key(request.Input), S3Input.String(request.Input, "UploadId"), cancellationToken);
        var blobs = await S3.Repository.AbortUploadAsync(upload.UploadId, cancellationToken);
        if (blobs is not null)
        {
            await S3.DeleteBlobsAsync(blobs);
        }

        return OperationResult.Empty;
    }
}
