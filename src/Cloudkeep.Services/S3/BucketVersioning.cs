using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3;

/// <summary>
/// The versioning part of a bucket's configuration: Status (Enabled | Suspended) and MFADelete
/// (Enabled | Disabled), kept in the shape GetBucketVersioning answers.
/// </summary>
internal static class BucketVersioning
{
    public const string Part = "Versioning";

    /// <summary>The new versioning part from a PutBucketVersioning configuration; MalformedXML for values S3 does not accept.</summary>
    public static JsonObject Merge(JsonNode? stored, JsonObject? requested)
    {
        if (requested is null)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var status = S3Input.String(requested, "Status");
        var mfaDelete = S3Input.String(requested, "MFADelete");
        if (status is not (null or "Enabled" or "Suspended") || mfaDelete is not (null or "Enabled" or "Disabled") || (status is null && mfaDelete is null))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var merged = stored?.DeepClone() as JsonObject ?? [];
        if (status is not null)
        {
            merged["Status"] = status;
        }

        if (mfaDelete is not null)
        {
            merged["MFADelete"] = mfaDelete;
        }

        return merged;
    }
}
