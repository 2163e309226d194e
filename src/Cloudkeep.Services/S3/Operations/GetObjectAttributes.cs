using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:GetObjectAttributes, or s3:GetObjectVersionAttributes with a version id: what HEAD says and
/// more, without the bytes. x-amz-object-attributes names what to answer (ETag, Checksum,
/// ObjectParts, StorageClass, ObjectSize); ObjectParts pages a multipart object's parts with
/// max-parts and part-number-marker, listing them only when they carry checksums, as S3 does for
/// general purpose buckets (GetObjectAttributes in the S3 API reference).
/// </summary>
public sealed class GetObjectAttributes(S3Context s3) : S3Operation(s3)
{
    private static readonly string[] Attributes = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"];

    public override string Operation => "GetObjectAttributes";

    protected override string Action => "s3:GetObjectAttributes";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override string ActionFor(OperationRequest request) => WhenVersioned(request, "s3:GetObjectVersionAttributes");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var wanted = Requested(input);

        // S3 ignores a max-parts or part-number-marker it cannot use rather than refusing it.
        var maxParts = S3Input.Integer(input, "MaxParts") is >= 0 and var max ? max : 1000;
        var marker = S3Input.Integer(input, "PartNumberMarker") is >= 0 and var after ? after : 0;
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var record = await S3.RequireRequestObjectAsync(request, bucket, S3Input.Key(input), "GET", cancellationToken);
        var meta = ObjectMeta.Parse(record.Meta);

        // An SSE-C object's attributes need its key, as GET and HEAD do (GetObjectAttributes).
        await ObjectEncryption.ForReadAsync(S3, request, meta, record.Bucket, record.Key, ObjectEncryption.ReadFor.Object, cancellationToken, withKey: false);
        var output = new JsonObject { ["LastModified"] = JsonValue.Create(record.LastModified) };
        ObjectVersions.WriteTo(output, bucket, record);
        if (wanted.Contains("ETag"))
        {
            // This answer's ETag is the bare tag, without the quotes GET and HEAD put around it.
            output["ETag"] = record.ETag.Trim('"');
        }

        if (wanted.Contains("Checksum") && meta.Checksums is { Count: > 0 } checksums)
        {
            var checksum = new JsonObject();
            ObjectUploads.WriteChecksums(checksum, checksums, withType: true);
            output["Checksum"] = checksum;
        }

        if (wanted.Contains("ObjectParts") && meta.PartSizes is { } sizes)
        {
            output["ObjectParts"] = Parts(sizes, meta.Document["PartChecksums"] as JsonArray, (int)Math.Min(maxParts, 1000), marker);
        }

        if (wanted.Contains("StorageClass"))
        {
            output["StorageClass"] = meta.Text("StorageClass") ?? "STANDARD";
        }

        if (wanted.Contains("ObjectSize"))
        {
            output["ObjectSize"] = record.Size;
        }

        return new OperationResult(output);
    }

    /// <summary>The attributes x-amz-object-attributes names: at least one, each one S3 knows (InvalidArgument otherwise).</summary>
    private static HashSet<string> Requested(JsonObject input)
    {
        var names = (S3Input.Array(input, "ObjectAttributes") ?? [])
            .Select(n => n is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : "")
            .Where(n => n.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        if (names.Count == 0)
        {
            throw S3Errors.InvalidRequest.ToException("The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty");
        }

        if (names.FirstOrDefault(n => !Attributes.Contains(n, StringComparer.Ordinal)) is { } unknown)
        {
            throw new Core.Errors.AwsException(S3Errors.InvalidArgument, "Invalid attribute name specified.")
            {
                Fields = [new("ArgumentName", "x-amz-object-attributes"), new("ArgumentValue", unknown)],
            };
        }

        return names;
    }

    /// <summary>ObjectParts: the part count, and the page of parts after the marker when the parts have checksums to show.</summary>
    private static JsonObject Parts(IReadOnlyList<long> sizes, JsonArray? checksums, int maxParts, long marker)
    {
        var parts = new JsonObject { ["TotalPartsCount"] = sizes.Count };
        if (checksums is null || checksums.Count != sizes.Count)
        {
            return parts;
        }

        var first = (int)Math.Min(marker, sizes.Count);
        var shown = Enumerable.Range(first, Math.Min(maxParts, sizes.Count - first)).ToList();
        var list = new JsonArray();
        foreach (var index in shown)
        {
            var part = new JsonObject { ["PartNumber"] = index + 1, ["Size"] = sizes[index] };
            ObjectUploads.WriteChecksums(part, checksums[index] as JsonObject);
            list.Add(part);
        }

        var truncated = first + shown.Count < sizes.Count;
        parts["PartNumberMarker"] = marker;
        parts["MaxParts"] = maxParts;
        parts["IsTruncated"] = truncated;
        if (truncated)
        {
            parts["NextPartNumberMarker"] = shown.Count > 0 ? shown[^1] + 1 : marker;
        }

        parts["Parts"] = list;
        return parts;
    }
}
