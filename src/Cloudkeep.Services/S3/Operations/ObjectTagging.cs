using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutObjectTagging / GetObjectTagging / DeleteObjectTagging: an object's tag set (up to 10
/// tags); with a version id, that version's (s3:PutObjectVersionTagging, ...).
/// </summary>
public sealed class ObjectTagging(S3Context s3, BucketDocument.Verb verb) : S3Operation(s3)
{
    public override string Operation => verb + "ObjectTagging";

    protected override string Action => "s3:" + verb + "ObjectTagging";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override string ActionFor(OperationRequest request) => WhenVersioned(request, "s3:" + verb + "ObjectVersionTagging");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var record = await S3.RequireRequestObjectAsync(request, bucket, key, verb.ToString().ToUpperInvariant(), cancellationToken);
        var meta = ObjectMeta.Parse(record.Meta);
        var output = new JsonObject();
        ObjectVersions.WriteTo(output, bucket, record);

        switch (verb)
        {
            case BucketDocument.Verb.Get:
                output["TagSet"] = meta.Tags?.DeepClone() ?? new JsonArray();
                return new OperationResult(output);
            case BucketDocument.Verb.Put:
                var tags = S3Input.Object(request.Input, "Tagging")?["TagSet"] as JsonArray;
                S3Tags.Validate(tags, maxTags: 10);
                meta.Document["Tags"] = tags!.DeepClone();
                break;
            default:
                meta.Document.Remove("Tags");
                break;
        }

        await S3.UpdateMetaAsync(record, meta.ToJson(), record.OwnerAccount, cancellationToken);
        return new OperationResult(output);
    }
}
