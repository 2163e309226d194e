namespace Cloudkeep.Protocol.SigV4;

/// <summary>Splits a raw query string into decoded name/value pairs (first occurrence of a name wins).</summary>
public static class QueryParameters
{
    public static Dictionary<string, string> Parse(string rawQuery)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in ParsePairs(rawQuery))
        {
            result.TryAdd(name, value);
        }

        return result;
    }

    public static IEnumerable<(string Name, string Value)> ParsePairs(string rawQuery, bool plusIsSpace = false)
    {
        if (rawQuery.StartsWith('?'))
        {
            rawQuery = rawQuery[1..];
        }

        foreach (var part in rawQuery.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var rawName = equals < 0 ? part : part[..equals];
            var rawValue = equals < 0 ? "" : part[(equals + 1)..];
            if (plusIsSpace)
            {
                rawName = rawName.Replace('+', ' ');
                rawValue = rawValue.Replace('+', ' ');
            }

            yield return (Decode(rawName), Decode(rawValue));
        }
    }

    private static string Decode(string raw) => AwsUriEncoding.TryDecode(raw, out var decoded) ? decoded : raw;
}
