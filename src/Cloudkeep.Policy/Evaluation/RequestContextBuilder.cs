namespace Cloudkeep.Policy;

/// <summary>
/// Builds a <see cref="RequestContext"/> in one pass (the pipeline fills a dozen keys per request; repeated
/// <see cref="RequestContext.With"/> calls would copy the map each time). Later values for a key replace earlier ones.
/// </summary>
public sealed class RequestContextBuilder
{
    private Dictionary<string, string[]>? _values = new(StringComparer.OrdinalIgnoreCase);

    public RequestContextBuilder Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Values()[key] = [value];
        return this;
    }

    /// <summary>Sets a multivalued key (aws:TagKeys, aws:CalledVia, ...).</summary>
    public RequestContextBuilder Set(string key, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        Values()[key] = [.. values];
        return this;
    }

    /// <summary>Adds the key only when a value is known, for keys AWS leaves out of the context when absent.</summary>
    public RequestContextBuilder SetIfPresent(string key, string? value) => value is null ? this : Set(key, value);

    public RequestContext Build()
    {
        var values = Values();
        _values = null;
        return new RequestContext(values);
    }

    private Dictionary<string, string[]> Values() =>
        _values ?? throw new InvalidOperationException("Build() was already called on this builder.");
}
