using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cloudkeep.Services.S3;

/// <summary>Tag-set limits of S3 (bucket: 50 tags; object: 10), unique keys, key up to 128 and value up to 256 characters.</summary>
internal static partial class S3Tags
{
    /// <summary>
    /// The characters AWS allows in tags across services: letters, numbers and spaces representable
    /// in UTF-8, and + - = . _ : / @ ("Tagging best practices", tag naming limits).
    /// </summary>
    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();

    public static void Validate(JsonArray? tags, int maxTags = 50)
    {
        if (tags is null)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (tags.Count > maxTags)
        {
            throw (maxTags == 10 ? S3Errors.BadRequestTags : S3Errors.InvalidTag).ToException(maxTags == 10 ? "Object tags cannot be greater than 10" : "Cannot provide more than 50 tags");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags.OfType<JsonObject>())
        {
            var key = tag["Key"]?.GetValue<string>() ?? "";
            var value = tag["Value"]?.GetValue<string>() ?? "";
            if (key.Length is 0 or > 128 || !Allowed().IsMatch(key))
            {
                throw S3Errors.InvalidTag.ToException("The TagKey you have provided is invalid");
            }

            if (value.Length > 256 || !Allowed().IsMatch(value))
            {
                throw S3Errors.InvalidTag.ToException("The TagValue you have provided is invalid");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw S3Errors.InvalidTag.ToException("System tags cannot be added/updated by requester");
            }

            if (!keys.Add(key))
            {
                throw S3Errors.InvalidTag.ToException("Cannot provide multiple Tags with the same key");
            }
        }
    }
}
