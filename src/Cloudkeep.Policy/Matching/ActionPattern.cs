namespace Cloudkeep.Policy;

/// <summary>
/// A compiled Action / NotAction entry: case-insensitive, with '*' and '?'. The literal service prefix is split
/// off so most non-matching statements are rejected by one short comparison.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
/// </summary>
internal sealed class ActionPattern
{
    private readonly string _pattern;
    private readonly int _prefixLength;
    private readonly bool _exact;

    public ActionPattern(string raw)
    {
        Raw = raw;
        _pattern = Wildcard.FromPolicyText(raw);
        _exact = !Wildcard.HasWildcard(_pattern);
        var colon = raw.IndexOf(':', StringComparison.Ordinal);
        _prefixLength = colon >= 0 && !Wildcard.HasWildcard(_pattern.AsSpan(0, colon)) ? colon + 1 : 0;
    }

    public string Raw { get; }

    /// <summary>The literal service ("s3") when the pattern can only match that service; null for "*", "s3*:..." etc.</summary>
    public string? Service => _prefixLength > 0 ? Raw[..(_prefixLength - 1)] : null;

    public bool IsMatch(string action)
    {
        if (_exact)
        {
            return string.Equals(action, _pattern, StringComparison.OrdinalIgnoreCase);
        }

        if (_prefixLength > 0)
        {
            if (action.Length < _prefixLength
                || !action.AsSpan(0, _prefixLength).Equals(_pattern.AsSpan(0, _prefixLength), StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return Wildcard.IsMatch(_pattern.AsSpan(_prefixLength), action.AsSpan(_prefixLength), ignoreCase: true);
    }
}
