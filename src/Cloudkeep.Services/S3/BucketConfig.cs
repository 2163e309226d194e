using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3;

/// <summary>
/// A bucket's configuration document, kept as one JSON object in the bucket row: each part in the
/// model's own shape (what Put* received is what Get* returns). Immutable once cached: changes go
/// through <see cref="With"/> and a store write.
/// </summary>
public sealed class BucketConfig
{
    public const string BucketOwnerEnforced = "BucketOwnerEnforced";
    public const string BucketOwnerPreferred = "BucketOwnerPreferred";
    public const string ObjectWriter = "ObjectWriter";

    private readonly JsonObject _document;

    private BucketConfig(JsonObject document)
    {
        _document = document;
    }

    /// <summary>
    /// What a new bucket gets: ACLs disabled and all four public access blocks on, as AWS does since
    /// April 2023; with <paramref name="legacyDefaults"/>, no public access block, as before then.
    /// </summary>
    public static BucketConfig NewBucket(string ownership, bool legacyDefaults = false) => legacyDefaults
        ? new(new JsonObject { ["Ownership"] = ownership })
        : new(new JsonObject
        {
            ["Ownership"] = ownership,
            ["PublicAccessBlock"] = new JsonObject
            {
                ["BlockPublicAcls"] = true,
                ["IgnorePublicAcls"] = true,
                ["BlockPublicPolicy"] = true,
                ["RestrictPublicBuckets"] = true,
            },
        });

    public static BucketConfig Parse(string json) => new(JsonNode.Parse(json) as JsonObject ?? []);

    public string ToJson() => _document.ToJsonString();

    public BucketConfig With(string part, JsonNode? value)
    {
        var copy = (JsonObject)_document.DeepClone();
        if (value is null)
        {
            copy.Remove(part);
        }
        else
        {
            copy[part] = value.DeepClone();
        }

        return new BucketConfig(copy);
    }

    public JsonNode? Get(string part) => _document.TryGetPropertyValue(part, out var node) ? node : null;

    public string? Policy => Get("Policy")?.GetValue<string>();

    /// <summary>Null when the bucket has no ownership controls (then ACLs work as ObjectWriter).</summary>
    public string? Ownership => Get("Ownership")?.GetValue<string>();

    public bool AclsEnabled => Ownership != BucketOwnerEnforced;

    public bool BlockPublicAcls => Flag("BlockPublicAcls");

    public bool IgnorePublicAcls => Flag("IgnorePublicAcls");

    public bool BlockPublicPolicy => Flag("BlockPublicPolicy");

    public bool RestrictPublicBuckets => Flag("RestrictPublicBuckets");

    /// <summary>The bucket's ACL grants beyond the owner's full control.</summary>
    public IReadOnlyList<S3Grant> Grants => S3Grant.ListFrom(Get("Grants"));

    /// <summary>Whether writes keep what they replace; a bucket never returns to unversioned once versioning was set.</summary>
    public Storage.Metadata.S3Versioning Versioning => Get("Versioning")?["Status"]?.GetValue<string>() switch
    {
        "Enabled" => Storage.Metadata.S3Versioning.Enabled,
        "Suspended" => Storage.Metadata.S3Versioning.Suspended,
        _ => Storage.Metadata.S3Versioning.Unversioned,
    };

    /// <summary>Whether deleting a version or changing the versioning state needs the root user's MFA code.</summary>
    public bool MfaDelete => Get("Versioning")?["MFADelete"]?.GetValue<string>() == "Enabled";

    private bool Flag(string name) =>
        Get("PublicAccessBlock") is JsonObject block && block.TryGetPropertyValue(name, out var node) && node?.GetValue<bool>() == true;
}
