using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>What both listing versions share: the s3:prefix / s3:delimiter / s3:max-keys condition keys, max-keys bounds, encoding-type, and the output members they answer alike.</summary>
internal static class ListingMembers
{
    public static Dictionary<string, IReadOnlyList<string>> Add(Dictionary<string, IReadOnlyList<string>> keys, OperationRequest request)
    {
        var input = request.Input;
        keys["s3:prefix"] = [S3Input.String(input, "Prefix") ?? ""];
        if (Delimiter(input) is { } delimiter)
        {
            keys["s3:delimiter"] = [delimiter];
        }

        keys["s3:max-keys"] = [MaxKeys(input).ToString(CultureInfo.InvariantCulture)];
        return keys;
    }

    /// <summary>
    /// The delimiter, or null: S3 treats an empty delimiter= as no delimiter at all (nothing rolled
    /// up, no Delimiter element in the answer, no s3:delimiter condition key).
    /// </summary>
    public static string? Delimiter(JsonObject input) => S3Input.String(input, "Delimiter") is { Length: > 0 } delimiter ? delimiter : null;

    public static int MaxKeys(JsonObject input)
    {
        var requested = S3Input.Integer(input, "MaxKeys") ?? 1000;
        if (requested < 0)
        {
            throw S3Errors.InvalidArgument.ToException("max-keys must be non-negative.");
        }

        return (int)Math.Min(requested, 1000);
    }

    public static bool UrlEncoding(JsonObject input) => S3Input.String(input, "EncodingType") switch
    {
        null => false,
        "url" => true,
        _ => throw S3Errors.InvalidArgument.ToException("Invalid Encoding Method specified in Request"),
    };

    /// <summary>The members both listing versions answer alike: the page's objects and common prefixes, and the request's parameters echoed.</summary>
    public static async Task<JsonObject> OutputAsync(S3Context s3, string bucket, S3Listing.Page page, string prefix, string? delimiter, int maxKeys, bool url, bool fetchOwner, CancellationToken cancellationToken)
    {
        var contents = new JsonArray();
        foreach (var record in page.Objects)
        {
            contents.Add(await EntryAsync(s3, record, url, fetchOwner, cancellationToken));
        }

        var output = new JsonObject
        {
            ["IsTruncated"] = page.Truncated,
            ["Contents"] = contents,
        };
        Echo(output, bucket, prefix, delimiter, maxKeys, url, page.CommonPrefixes);
        return output;
    }

    /// <summary>What every listing (v1, v2, versions) answers alike: the bucket, the request's parameters echoed, and the page's common prefixes.</summary>
    public static void Echo(JsonObject output, string bucket, string prefix, string? delimiter, int maxKeys, bool url, IReadOnlyList<string> commonPrefixes)
    {
        output["Name"] = bucket;
        output["Prefix"] = S3Listing.Encode(prefix, url);
        output["MaxKeys"] = maxKeys;
        output["CommonPrefixes"] = new JsonArray([.. commonPrefixes.Select(p => (JsonNode)new JsonObject { ["Prefix"] = S3Listing.Encode(p, url) })]);
        if (delimiter is not null)
        {
            output["Delimiter"] = S3Listing.Encode(delimiter, url);
        }

        if (url)
        {
            output["EncodingType"] = "url";
        }
    }

    public static async Task<JsonObject> EntryAsync(S3Context s3, S3ObjectRecord record, bool url, bool fetchOwner, CancellationToken cancellationToken)
    {
        var entry = new JsonObject
        {
            ["Key"] = S3Listing.Encode(record.Key, url),
            ["LastModified"] = JsonValue.Create(record.LastModified),
            ["ETag"] = record.ETag,
            ["Size"] = record.Size,
            ["StorageClass"] = "STANDARD",
        };
        if (fetchOwner)
        {
            entry["Owner"] = await S3Owners.OwnerAsync(s3, record.OwnerAccount, cancellationToken);
        }

        return entry;
    }
}
