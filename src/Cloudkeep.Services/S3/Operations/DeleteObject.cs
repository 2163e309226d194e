using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:DeleteObject: removes the object (204 also when there was none, as in an unversioned bucket).</summary>
public sealed class DeleteObject(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "DeleteObject";

    protected override string Action => "s3:DeleteObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        if (S3Input.Array(request.Input, "IfMatch") is { } ifMatch)
        {
            var existing = await S3.Repository.GetObjectAsync(bucket.Name, S3Input.Key(request.Input), cancellationToken);
            if (existing is null || !ObjectReads.ETagMatches(ifMatch, existing.ETag))
            {
                throw S3Errors.PreconditionFailed.ToException();
            }
        }

        S3.DeleteObjectBlobs(await S3.Repository.DeleteObjectAsync(bucket.Name, S3Input.Key(request.Input), cancellationToken));
        return OperationResult.Empty;
    }
}
