using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:ListBucketMultipartUploads: uploads in progress by key then upload id, after key-marker / upload-id-marker.</summary>
public sealed class ListMultipartUploads(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "ListMultipartUploads";

    protected override string Action => "s3:ListBucketMultipartUploads";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var prefix = S3Input.String(input, "Prefix") ?? "";
        var keyMarker = S3Input.String(input, "KeyMarker") ?? "";
        var uploadIdMarker = S3Input.String(input, "UploadIdMarker") ?? "";
        var max = (int)Math.Clamp(S3Input.Integer(input, "MaxUploads") ?? 1000, 0, 1000);

        // Without an upload-id-marker, the key-marker excludes every upload of that key.
        var uploads = await S3.Repository.ListUploadsAsync(bucket.Name, prefix, keyMarker, uploadIdMarker.Length == 0 && keyMarker.Length > 0 ? "\uffff" : uploadIdMarker, max + 1, cancellationToken);
        var truncated = uploads.Count > max;
        var shown = uploads.Take(max).ToList();
        var list = new JsonArray();
        foreach (var upload in shown)
        {
            list.Add(new JsonObject
            {
                ["UploadId"] = upload.UploadId,
                ["Key"] = upload.Key,
                ["Initiated"] = JsonValue.Create(upload.Initiated),
                ["StorageClass"] = "STANDARD",
                ["Owner"] = await S3Owners.OwnerAsync(S3, upload.OwnerAccount, cancellationToken),
                ["Initiator"] = new JsonObject { ["ID"] = upload.InitiatorArn, ["DisplayName"] = upload.InitiatorArn },
            });
        }

        var output = new JsonObject
        {
            ["Bucket"] = bucket.Name,
            ["KeyMarker"] = keyMarker,
            ["UploadIdMarker"] = uploadIdMarker,
            ["Prefix"] = prefix,
            ["MaxUploads"] = max,
            ["IsTruncated"] = truncated,
            ["Uploads"] = list,
        };
        if (truncated)
        {
            output["NextKeyMarker"] = shown[^1].Key;
            output["NextUploadIdMarker"] = shown[^1].UploadId;
        }

        return new OperationResult(output);
    }
}
