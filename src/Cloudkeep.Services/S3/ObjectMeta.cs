using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3;

/// <summary>
/// What an object carries besides its bytes, as the JSON document in its row: the standard headers
/// given at upload, user metadata, checksums, ACL grants, tags and (for multipart objects) part sizes.
/// </summary>
public sealed class ObjectMeta
{
    /// <summary>Standard headers stored at upload and returned on GET/HEAD: model member name → stored as given.</summary>
    public static readonly string[] StoredHeaders = ["ContentType", "ContentEncoding", "ContentDisposition", "ContentLanguage", "CacheControl", "WebsiteRedirectLocation"];

    public ObjectMeta(JsonObject document)
    {
        Document = document;
    }

    public JsonObject Document { get; }

    public static ObjectMeta Parse(string json) => new(JsonNode.Parse(json) as JsonObject ?? []);

    public string ToJson() => Document.ToJsonString();

    public ObjectMeta Clone() => new((JsonObject)Document.DeepClone());

    public string? Text(string name) => Document.TryGetPropertyValue(name, out var node) && node is JsonValue value ? value.GetValue<string>() : null;

    public JsonObject? Metadata => Document["Metadata"] as JsonObject;

    /// <summary>Checksums by algorithm name (CRC32, CRC32C, SHA1, SHA256), base64 as S3 returns them.</summary>
    public JsonObject? Checksums => Document["Checksums"] as JsonObject;

    public IReadOnlyList<S3Grant> Grants => S3Grant.ListFrom(Document["Grants"]);

    public JsonArray? Tags => Document["Tags"] as JsonArray;

    /// <summary>Records the ACL grants and tags a write asked for (none of either leaves the document as it is).</summary>
    public void SetGrantsAndTags(IReadOnlyList<S3Grant> grants, JsonArray? tags)
    {
        if (grants.Count > 0)
        {
            Document["Grants"] = S3Grant.ToJson(grants);
        }

        if (tags is not null)
        {
            Document["Tags"] = tags;
        }
    }

    /// <summary>Sizes of the parts of a completed multipart upload, in order; null for a simple upload.</summary>
    public IReadOnlyList<long>? PartSizes => Document["PartSizes"] is JsonArray sizes ? [.. sizes.Select(s => s!.GetValue<long>())] : null;

    /// <summary>The stored headers, user metadata and expiry of an upload request (PutObject, CreateMultipartUpload, CopyObject with REPLACE).</summary>
    public static ObjectMeta FromInput(JsonObject input)
    {
        var document = new JsonObject();
        foreach (var name in StoredHeaders)
        {
            if (S3Input.String(input, name) is { } value)
            {
                document[name] = value;
            }
        }

        if (S3Input.Timestamp(input, "Expires") is { } expires)
        {
            document["Expires"] = expires.ToUniversalTime().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        else if ((S3Input.String(input, "Expires") ?? S3Input.String(input, "ExpiresString")) is { } expiresText)
        {
            // The model carries Expires as the header's text; S3 stores it as given.
            document["Expires"] = expiresText;
        }

        if (S3Input.Object(input, "Metadata") is { Count: > 0 } metadata)
        {
            document["Metadata"] = metadata.DeepClone();
        }

        if (S3Input.String(input, "StorageClass") is { } storageClass && storageClass != "STANDARD")
        {
            document["StorageClass"] = storageClass;
        }

        return new ObjectMeta(document);
    }

    /// <summary>Adds the stored headers and metadata to a GET/HEAD output.</summary>
    public void WriteTo(JsonObject output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var name in StoredHeaders)
        {
            if (Text(name) is { } value)
            {
                output[name] = value;
            }
        }

        if (Text("Expires") is { } expires)
        {
            output["Expires"] = expires;
        }

        if (Metadata is { } metadata)
        {
            output["Metadata"] = metadata.DeepClone();
        }

        if (Text("StorageClass") is { } storageClass)
        {
            output["StorageClass"] = storageClass;
        }
    }
}
