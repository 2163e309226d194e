using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutObject: starts an upload, keeping the object's headers, ACL and tags for completion.</summary>
public sealed class CreateMultipartUpload(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "CreateMultipartUpload";

    protected override string Action => "s3:PutObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequireBucketAsync(S3Input.Bucket(request.Input), cancellationToken);
        var key = RequireKey(request);
        var (owner, grants) = ObjectAcls.ForWrite(bucket, request.Caller, request.Input);
        var meta = ObjectMeta.FromInput(request.Input);
        meta.SetGrantsAndTags(grants, ObjectUploads.TagsFromHeader(request.Input));

        var algorithm = S3Input.String(request.Input, "ChecksumAlgorithm");
        if (algorithm is not null)
        {
            meta.Document["ChecksumAlgorithm"] = algorithm;
        }

        var uploadId = Multipart.NewUploadId();
        await S3.Repository.CreateUploadAsync(new S3UploadRecord(uploadId, bucket.Name, key, S3.Time.GetUtcNow(), owner, request.Caller.Arn, meta.ToJson()), cancellationToken);
        var output = new JsonObject { ["Bucket"] = bucket.Name, ["Key"] = key, ["UploadId"] = uploadId };
        if (algorithm is not null)
        {
            output["ChecksumAlgorithm"] = algorithm;
        }

        return new OperationResult(output);
    }
}
