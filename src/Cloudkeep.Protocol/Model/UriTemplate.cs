namespace Cloudkeep.Protocol.Model;

/// <summary>
/// A rest protocol requestUri such as "/{Bucket}/{Key+}?uploads": literal and label path segments
/// ("+" marks a greedy label that spans slashes) and the query literals an operation requires.
/// </summary>
public sealed class UriTemplate
{
    private UriTemplate(IReadOnlyList<Segment> segments, IReadOnlyList<KeyValuePair<string, string?>> requiredQuery)
    {
        Segments = segments;
        RequiredQuery = requiredQuery;
    }

    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>Query names the operation requires, with the value it requires when it names one ("list-type=2").</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> RequiredQuery { get; }

    public int LiteralCount => Segments.Count(s => s.Label is null);

    public readonly record struct Segment(string? Literal, string? Label, bool Greedy);

    public static UriTemplate Parse(string requestUri)
    {
        var question = requestUri.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? requestUri : requestUri[..question];
        var query = question < 0 ? "" : requestUri[(question + 1)..];
        var segments = new List<Segment>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith('{') && part.EndsWith('}'))
            {
                var label = part[1..^1];
                var greedy = label.EndsWith('+');
                segments.Add(new Segment(null, greedy ? label[..^1] : label, greedy));
            }
            else
            {
                segments.Add(new Segment(part, null, false));
            }
        }

        var required = new List<KeyValuePair<string, string?>>();
        foreach (var item in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            required.Add(equals < 0 ? new(item, null) : new(item[..equals], item[(equals + 1)..]));
        }

        return new UriTemplate(segments, required);
    }

    /// <summary>
    /// Matches decoded path segments (the path split on '/', the first empty entry removed) and
    /// returns the label values; a greedy label takes the rest of the path, slashes and all.
    /// </summary>
    public bool TryMatch(string decodedPath, out Dictionary<string, string> labels)
    {
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = decodedPath.StartsWith('/') ? decodedPath[1..] : decodedPath;
        for (var i = 0; i < Segments.Count; i++)
        {
            var segment = Segments[i];
            if (segment.Greedy)
            {
                if (rest.Length == 0)
                {
                    return false;
                }

                labels[segment.Label!] = rest;
                rest = "";
                continue;
            }

            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var value = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? "" : rest[(slash + 1)..];
            if (value.Length == 0)
            {
                return false;
            }

            if (segment.Label is { } label)
            {
                labels[label] = value;
            }
            else if (segment.Literal != value)
            {
                return false;
            }
        }

        return rest.Length == 0;
    }
}
