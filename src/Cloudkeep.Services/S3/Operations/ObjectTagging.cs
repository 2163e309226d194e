using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutObjectTagging / GetObjectTagging / DeleteObjectTagging: an object's tag set (up to 10 tags).</summary>
public sealed class ObjectTagging(S3Context s3, BucketDocument.Verb verb) : S3Operation(s3)
{
    public override string Operation => verb + "ObjectTagging";

    protected override string Action => "s3:" + verb + "ObjectTagging";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var record = await S3.Repository.GetObjectAsync(bucket.Name, key, cancellationToken)
            ?? throw new AwsException(S3Errors.NoSuchKey, S3Errors.NoSuchKey.DefaultMessage) { Fields = [new("Key", key)] };
        var meta = ObjectMeta.Parse(record.Meta);
        switch (verb)
        {
            case BucketDocument.Verb.Get:
                return new OperationResult(new JsonObject { ["TagSet"] = meta.Tags?.DeepClone() ?? new JsonArray() });
            case BucketDocument.Verb.Put:
                var tags = S3Input.Object(request.Input, "Tagging")?["TagSet"] as JsonArray;
                S3Tags.Validate(tags, maxTags: 10);
                meta.Document["Tags"] = tags!.DeepClone();
                break;
            default:
                meta.Document.Remove("Tags");
                break;
        }

        if (!await S3.Repository.UpdateObjectMetaAsync(bucket.Name, key, meta.ToJson(), record.OwnerAccount, cancellationToken))
        {
            throw new AwsException(S3Errors.NoSuchKey, S3Errors.NoSuchKey.DefaultMessage) { Fields = [new("Key", key)] };
        }

        return OperationResult.Empty;
    }
}
