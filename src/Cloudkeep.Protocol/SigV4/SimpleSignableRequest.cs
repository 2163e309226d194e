namespace Cloudkeep.Protocol.SigV4;

/// <summary>An in-memory <see cref="ISignableRequest"/> (tests, tools and the raw-HTTP vector reader).</summary>
public sealed class SimpleSignableRequest : ISignableRequest
{
    private readonly List<KeyValuePair<string, string>> _headers;

    public SimpleSignableRequest(string method, string rawPath, string rawQuery, IEnumerable<KeyValuePair<string, string>> headers)
    {
        Method = method;
        RawPath = rawPath;
        RawQuery = rawQuery;
        _headers = [.. headers];
    }

    public string Method { get; }

    public string RawPath { get; }

    public string RawQuery { get; }

    public IReadOnlyDictionary<string, string> Query => field ??= QueryParameters.Parse(RawQuery);

    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    public bool TryGetHeader(string name, out string value)
    {
        string? joined = null;
        foreach (var (key, headerValue) in _headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                joined = joined is null ? headerValue : joined + "," + headerValue;
            }
        }

        value = joined ?? "";
        return joined is not null;
    }
}
