namespace Cloudkeep.Policy;

/// <summary>A parsed condition operator name such as "ForAnyValue:StringNotLikeIfExists".</summary>
internal readonly record struct ConditionOperator(ConditionTest Test, bool Negated, bool IfExists, SetQualifier Qualifier)
{
    private static readonly Dictionary<string, (ConditionTest Test, bool Negated)> Names = new(StringComparer.Ordinal)
    {
        ["StringEquals"] = (ConditionTest.StringEquals, false),
        ["StringNotEquals"] = (ConditionTest.StringEquals, true),
        ["StringEqualsIgnoreCase"] = (ConditionTest.StringEqualsIgnoreCase, false),
        ["StringNotEqualsIgnoreCase"] = (ConditionTest.StringEqualsIgnoreCase, true),
        ["StringLike"] = (ConditionTest.StringLike, false),
        ["StringNotLike"] = (ConditionTest.StringLike, true),
        ["NumericEquals"] = (ConditionTest.NumericEquals, false),
        ["NumericNotEquals"] = (ConditionTest.NumericEquals, true),
        ["NumericLessThan"] = (ConditionTest.NumericLessThan, false),
        ["NumericLessThanEquals"] = (ConditionTest.NumericLessThanEquals, false),
        ["NumericGreaterThan"] = (ConditionTest.NumericGreaterThan, false),
        ["NumericGreaterThanEquals"] = (ConditionTest.NumericGreaterThanEquals, false),
        ["DateEquals"] = (ConditionTest.DateEquals, false),
        ["DateNotEquals"] = (ConditionTest.DateEquals, true),
        ["DateLessThan"] = (ConditionTest.DateLessThan, false),
        ["DateLessThanEquals"] = (ConditionTest.DateLessThanEquals, false),
        ["DateGreaterThan"] = (ConditionTest.DateGreaterThan, false),
        ["DateGreaterThanEquals"] = (ConditionTest.DateGreaterThanEquals, false),
        ["Bool"] = (ConditionTest.Bool, false),
        ["BinaryEquals"] = (ConditionTest.BinaryEquals, false),
        ["IpAddress"] = (ConditionTest.IpAddress, false),
        ["NotIpAddress"] = (ConditionTest.IpAddress, true),
        ["ArnEquals"] = (ConditionTest.ArnLike, false),
        ["ArnLike"] = (ConditionTest.ArnLike, false),
        ["ArnNotEquals"] = (ConditionTest.ArnLike, true),
        ["ArnNotLike"] = (ConditionTest.ArnLike, true),
        ["Null"] = (ConditionTest.Null, false),
    };

    public static bool TryParse(string name, out ConditionOperator op)
    {
        op = default;
        var span = name.AsSpan();
        var qualifier = SetQualifier.None;
        if (span.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAllValues;
            span = span["ForAllValues:".Length..];
        }
        else if (span.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAnyValue;
            span = span["ForAnyValue:".Length..];
        }

        var ifExists = span.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            span = span[..^"IfExists".Length];
        }

        var lookup = Names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(span, out var entry))
        {
            return false;
        }

        // "NullIfExists" means nothing in AWS's grammar, and Null takes no set qualifier.
        if (entry.Test == ConditionTest.Null && (ifExists || qualifier != SetQualifier.None))
        {
            return false;
        }

        op = new ConditionOperator(entry.Test, entry.Negated, ifExists, qualifier);
        return true;
    }

    public bool UsesVariables => Test is ConditionTest.StringEquals or ConditionTest.StringEqualsIgnoreCase
        or ConditionTest.StringLike or ConditionTest.ArnLike;

    public bool UsesWildcards => Test is ConditionTest.StringLike or ConditionTest.ArnLike;
}
