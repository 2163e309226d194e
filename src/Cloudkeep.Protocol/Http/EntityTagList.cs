namespace Cloudkeep.Protocol.Http;

/// <summary>
/// The entity-tag list of If-Match, If-None-Match and their x-amz-copy-source-if-* forms (RFC 9110
/// §13.1.1): comma-separated tags or "*". S3 also accepts a tag without its quotes, so one is read
/// as the quoted tag it names.
/// </summary>
public static class EntityTagList
{
    public const string Any = "*";

    public static IReadOnlyList<string> Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return [.. header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Quoted)];
    }

    private static string Quoted(string tag) => tag == Any || tag.StartsWith('"') ? tag : "\"" + tag + "\"";
}
