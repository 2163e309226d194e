using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:ListBucket, version 1: prefix, delimiter, marker, max-keys, encoding-type; NextMarker only with a delimiter, as S3 does.</summary>
public sealed class ListObjects(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "ListObjects";

    protected override string Action => "s3:ListBucket";

    protected override Dictionary<string, IReadOnlyList<string>> ConditionKeys(OperationRequest request) =>
        ListConditionKeys.Add(base.ConditionKeys(request), request);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var bucket = await S3.RequireBucketAsync(S3Input.Bucket(input), cancellationToken);
        var prefix = S3Input.String(input, "Prefix") ?? "";
        var delimiter = S3Input.String(input, "Delimiter");
        var maxKeys = ListConditionKeys.MaxKeys(input);
        var url = ListConditionKeys.UrlEncoding(input);
        var marker = S3Input.String(input, "Marker") ?? "";

        // A marker that is a common prefix (from NextMarker) means: after everything under it.
        var after = !string.IsNullOrEmpty(delimiter) && marker.EndsWith(delimiter, StringComparison.Ordinal) && marker.Length > 0
            ? S3Repository.PrefixUpperBound(marker)!
            : marker;
        var page = await S3Listing.ListAsync(S3.Repository, bucket.Name, prefix, delimiter, after, maxKeys, cancellationToken);
        var contents = new JsonArray();
        foreach (var record in page.Objects)
        {
            contents.Add(await ListConditionKeys.EntryAsync(S3, record, url, fetchOwner: true, cancellationToken));
        }

        var output = new JsonObject
        {
            ["IsTruncated"] = page.Truncated,
            ["Marker"] = S3Listing.Encode(marker, url),
            ["Contents"] = contents,
            ["Name"] = bucket.Name,
            ["Prefix"] = S3Listing.Encode(prefix, url),
            ["MaxKeys"] = maxKeys,
            ["CommonPrefixes"] = new JsonArray([.. page.CommonPrefixes.Select(p => (JsonNode)new JsonObject { ["Prefix"] = S3Listing.Encode(p, url) })]),
        };
        if (delimiter is not null)
        {
            output["Delimiter"] = S3Listing.Encode(delimiter, url);
            if (page.Truncated && page.LastReturned is not null)
            {
                output["NextMarker"] = S3Listing.Encode(page.LastReturned, url);
            }
        }

        if (url)
        {
            output["EncodingType"] = "url";
        }

        return new OperationResult(output);
    }
}
