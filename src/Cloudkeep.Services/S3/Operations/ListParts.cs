using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:ListMultipartUploadParts: the parts uploaded so far, after part-number-marker, up to max-parts (1000).</summary>
public sealed class ListParts(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "ListParts";

    protected override string Action => "s3:ListMultipartUploadParts";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var upload = await Multipart.RequireUploadAsync(S3, bucket.Name, S3Input.Key(input), S3Input.String(input, "UploadId"), cancellationToken);
        var max = (int)Math.Min(S3Input.Integer(input, "MaxParts") ?? 1000, 1000);
        if (max < 0)
        {
            throw S3Errors.InvalidArgument.ToException("Argument max-parts must be an integer between 0 and 2147483647");
        }

        var marker = (int)Math.Max(0, S3Input.Integer(input, "PartNumberMarker") ?? 0);
        var parts = await S3.Repository.ListPartsAsync(upload.UploadId, marker, max + 1, cancellationToken);
        var truncated = parts.Count > max;
        var shown = parts.Take(max).ToList();
        var list = new JsonArray();
        foreach (var part in shown)
        {
            var item = new JsonObject { ["PartNumber"] = part.PartNumber, ["LastModified"] = JsonValue.Create(part.LastModified), ["ETag"] = part.ETag, ["Size"] = part.Size };
            ObjectUploads.WriteChecksums(item, JsonNode.Parse(part.Checksums) as JsonObject);
            list.Add(item);
        }

        var owner = await S3Owners.OwnerAsync(S3, upload.OwnerAccount, cancellationToken);
        var output = new JsonObject
        {
            ["Bucket"] = bucket.Name,
            ["Key"] = upload.Key,
            ["UploadId"] = upload.UploadId,
            ["PartNumberMarker"] = marker,
            ["MaxParts"] = max,
            ["IsTruncated"] = truncated,
            ["Parts"] = list,
            ["Initiator"] = new JsonObject { ["ID"] = upload.InitiatorArn, ["DisplayName"] = upload.InitiatorArn },
            ["Owner"] = owner,
            ["StorageClass"] = "STANDARD",
        };
        if (truncated)
        {
            // With max-parts=0 nothing is shown and the next page starts where this one did.
            output["NextPartNumberMarker"] = shown.Count > 0 ? shown[^1].PartNumber : marker;
        }

        return new OperationResult(output);
    }
}
