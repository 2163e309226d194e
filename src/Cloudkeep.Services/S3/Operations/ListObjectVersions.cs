using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:ListBucketVersions: every version and delete marker, with prefix, delimiter, key-marker +
/// version-id-marker paging, max-keys and encoding-type, as ListObjects pages current objects.
/// </summary>
public sealed class ListObjectVersions(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "ListObjectVersions";

    protected override string Action => "s3:ListBucketVersions";

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
        var keyMarker = S3Input.String(input, "KeyMarker") ?? "";
        var versionIdMarker = S3Input.String(input, "VersionIdMarker");
        var (afterKey, beforeSequence) = await PositionAsync(bucket, keyMarker, versionIdMarker, delimiter, cancellationToken);

        var page = await S3VersionListing.ListAsync(S3.Repository, bucket.Name, prefix, delimiter, afterKey, beforeSequence, maxKeys, cancellationToken);
        var versions = new JsonArray();
        var markers = new JsonArray();
        foreach (var (entry, position) in page.Entries.Select((e, i) => (e, i)))
        {
            var record = entry.Version;
            var item = new JsonObject
            {
                [OutputPosition.Member] = position,
                ["Key"] = S3Listing.Encode(record.Key, url),
                ["VersionId"] = record.VersionId,
                ["IsLatest"] = entry.IsLatest,
                ["LastModified"] = JsonValue.Create(record.LastModified),
            };
            if (record.DeleteMarker)
            {
                item["Owner"] = await S3Owners.OwnerAsync(S3, record.OwnerAccount, cancellationToken);
                markers.Add(item);
                continue;
            }

            item["ETag"] = record.ETag;
            item["Size"] = record.Size;
            item["StorageClass"] = "STANDARD";
            item["Owner"] = await S3Owners.OwnerAsync(S3, record.OwnerAccount, cancellationToken);
            versions.Add(item);
        }

        var output = new JsonObject
        {
            ["IsTruncated"] = page.Truncated,
            ["KeyMarker"] = S3Listing.Encode(keyMarker, url),
            ["VersionIdMarker"] = versionIdMarker ?? "",
            ["Versions"] = versions,
            ["DeleteMarkers"] = markers,
        };
        ListingMembers.Echo(output, bucket.Name, prefix, delimiter, maxKeys, url, page.CommonPrefixes);
        if (page.NextKey is not null)
        {
            output["NextKeyMarker"] = S3Listing.Encode(page.NextKey, url);
        }

        if (page.NextVersionId is not null)
        {
            output["NextVersionIdMarker"] = page.NextVersionId;
        }

        return new OperationResult(output);
    }

    /// <summary>Where the page starts: after every version of the key marker, or after the named version of it.</summary>
    private async Task<(string AfterKey, long? BeforeSequence)> PositionAsync(BucketState bucket, string keyMarker, string? versionIdMarker, string? delimiter, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(versionIdMarker))
        {
            // A key marker that is a common prefix (from NextKeyMarker) means: after everything under it.
            var rolledUp = !string.IsNullOrEmpty(delimiter) && keyMarker.Length > 0 && keyMarker.EndsWith(delimiter, StringComparison.Ordinal);
            return (rolledUp ? S3Repository.PrefixUpperBound(keyMarker)! : keyMarker, null);
        }

        if (keyMarker.Length == 0)
        {
            throw S3Errors.InvalidArgument.ToException("A version-id marker cannot be specified without a key marker.");
        }

        if (!ObjectVersions.IsWellFormed(versionIdMarker))
        {
            throw S3Errors.InvalidArgument.ToException("Invalid version id specified");
        }

        // A marker version deleted since the previous page: continue after its key.
        var marker = await S3.Repository.GetVersionAsync(bucket.Name, keyMarker, versionIdMarker, cancellationToken);
        return (keyMarker, marker?.Version.Sequence);
    }
}
