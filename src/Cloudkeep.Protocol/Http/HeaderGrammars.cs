using System.Text.Json.Nodes;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Http;

/// <summary>
/// Rest-xml input members whose header has a grammar of its own, read into structure when the
/// request is decoded, as header timestamps are read into dates: services get the byte range, the
/// entity tags, the tags, the grantees or the copy source, never the header text. A value the
/// grammar cannot read stays the header's text, for the service to refuse (or, a Range, to ignore)
/// as S3 does.
/// </summary>
public static class HeaderGrammars
{
    public static void Apply(Shape? inputShape, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (inputShape is null)
        {
            return;
        }

        foreach (var member in inputShape.Members)
        {
            if (member.Location != "header" || !input.TryGetPropertyValue(member.Name, out var node) || node is not JsonValue value || !value.TryGetValue<string>(out var text))
            {
                continue;
            }

            if (Read(member.WireName, text) is { } structured)
            {
                input[member.Name] = structured;
            }
        }
    }

    /// <summary>The structure a header's grammar reads from its value; null when it has none or cannot read this one.</summary>
    public static JsonNode? Read(string header, string value)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(value);
        var name = header.ToLowerInvariant();
        if (name is "range" or "x-amz-copy-source-range")
        {
            return ByteRange.TryParse(value, out var range) ? new JsonObject { ["First"] = range.First, ["Last"] = range.Last } : null;
        }

        if (name is "if-match" or "if-none-match" or "x-amz-copy-source-if-match" or "x-amz-copy-source-if-none-match")
        {
            return new JsonArray([.. EntityTagList.Parse(value).Select(t => (JsonNode)t)]);
        }

        if (name == "x-amz-tagging")
        {
            return value.Length == 0 ? null : new JsonArray([.. TaggingHeader.Parse(value).Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]);
        }

        if (name.StartsWith("x-amz-grant-", StringComparison.Ordinal))
        {
            return value.Length > 0 && GrantHeader.TryParse(value, out var grantees)
                ? new JsonArray([.. grantees.Select(g => (JsonNode)new JsonObject { ["Type"] = g.Key, ["Value"] = g.Value })])
                : null;
        }

        if (name == "x-amz-copy-source")
        {
            // The header text stays too: it is the s3:x-amz-copy-source condition key's value.
            return CopySourceHeader.TryParse(value, out var source)
                ? new JsonObject { ["Bucket"] = source.Bucket, ["Key"] = source.Key, ["VersionId"] = source.VersionId, ["Header"] = value }
                : null;
        }

        return null;
    }
}
