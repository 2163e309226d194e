namespace Cloudkeep.Policy;

/// <summary>
/// The condition keys of one request, filled in by the caller. Key names are case-insensitive, values are not.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html#Condition-case-sensitivity
/// </summary>
public sealed class RequestContext
{
    private readonly Dictionary<string, string[]> _values;

    public RequestContext()
        : this(new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase))
    {
    }

    public RequestContext(IEnumerable<KeyValuePair<string, string>> singleValued)
        : this()
    {
        ArgumentNullException.ThrowIfNull(singleValued);
        foreach (var (key, value) in singleValued)
        {
            _values[key] = [value];
        }
    }

    internal RequestContext(Dictionary<string, string[]> values) => _values = values;

    public static RequestContext Empty { get; } = new();

    public IEnumerable<string> Keys => _values.Keys;

    public int Count => _values.Count;

    /// <summary>Returns a copy with <paramref name="key"/> set to the given values (several for a multivalued key).</summary>
    public RequestContext With(string key, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        var copy = new Dictionary<string, string[]>(_values, StringComparer.OrdinalIgnoreCase) { [key] = [.. values] };
        return new RequestContext(copy);
    }

    public IReadOnlyList<string>? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    internal bool TryGet(string key, out string[] values)
    {
        if (_values.TryGetValue(key, out var v))
        {
            values = v;
            return true;
        }

        values = [];
        return false;
    }

    internal bool TryGetSingle(string key, out string value)
    {
        if (_values.TryGetValue(key, out var v) && v.Length == 1)
        {
            value = v[0];
            return true;
        }

        value = string.Empty;
        return false;
    }
}
