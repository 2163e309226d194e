using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:ListBucket, version 1: prefix, delimiter, marker, max-keys, encoding-type; NextMarker only with a delimiter, as S3 does.</summary>
public sealed class ListObjects(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "ListObjects";

    protected override string Action => "s3:ListBucket";

    protected override Dictionary<string, IReadOnlyList<string>> ConditionKeys(OperationRequest request) =>
        ListingMembers.Add(base.ConditionKeys(request), request);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var prefix = S3Input.String(input, "Prefix") ?? "";
        var delimiter = ListingMembers.Delimiter(input);
        var maxKeys = ListingMembers.MaxKeys(input);
        var url = ListingMembers.UrlEncoding(input);
        var marker = S3Input.String(input, "Marker") ?? "";

        // A marker that is a common prefix (from NextMarker) means: after everything under it.
        var after = !string.IsNullOrEmpty(delimiter) && marker.EndsWith(delimiter, StringComparison.Ordinal) && marker.Length > 0
            ? S3Repository.PrefixUpperBound(marker)!
            : marker;
        var page = await S3Listing.ListAsync(S3.Repository, bucket.Name, prefix, delimiter, after, maxKeys, cancellationToken);
        var output = await ListingMembers.OutputAsync(S3, bucket.Name, page, prefix, delimiter, maxKeys, url, fetchOwner: true, cancellationToken);
        output["Marker"] = S3Listing.Encode(marker, url);

        // S3 answers NextMarker only when a delimiter is used (without one, the last key is the marker).
        if (delimiter is not null && page.Truncated && page.LastReturned is not null)
        {
            output["NextMarker"] = S3Listing.Encode(page.LastReturned, url);
        }

        return new OperationResult(output);
    }
}
