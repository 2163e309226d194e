using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutObject: one part (1-10000, up to 5 GiB) streamed to its own blob; a re-sent part number replaces the old part.</summary>
public sealed class UploadPart(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "UploadPart";

    protected override string Action => "s3:PutObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var partNumber = Multipart.PartNumber(S3Input.Integer(request.Input, "PartNumber"));
        var upload = await Multipart.RequireUploadAsync(S3, bucket.Name, key, S3Input.String(request.Input, "UploadId"), cancellationToken);
        var sealing = await PartRecords.SealingAsync(S3, request, upload, cancellationToken);
        var uploaded = await ObjectUploads.WriteAsync(S3, bucket.Region, request, Multipart.MaxPartBytes, sealing, cancellationToken);
        return await PartRecords.SaveAsync(S3, request, upload, partNumber, uploaded, copy: false, cancellationToken);
    }
}
