using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Lifecycle;

/// <summary>Which objects a rule covers: a key prefix, tags that must all be present, and size bounds (exclusive).</summary>
internal sealed record LifecycleFilter(string Prefix, IReadOnlyList<KeyValuePair<string, string>> Tags, long? SizeGreaterThan, long? SizeLessThan)
{
    public bool Matches(S3ObjectRecord record, Func<ObjectMeta> meta)
    {
        if (!record.Key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if ((SizeGreaterThan is { } above && record.Size <= above) || (SizeLessThan is { } below && record.Size >= below))
        {
            return false;
        }

        if (Tags.Count == 0)
        {
            return true;
        }

        var tags = meta().Tags;
        return Tags.All(t => tags?.Any(n => n?["Key"]?.GetValue<string>() == t.Key && n?["Value"]?.GetValue<string>() == t.Value) == true);
    }
}

/// <summary>Expiration: after Days, on a Date, or removal of delete markers that hide nothing.</summary>
internal sealed record LifecycleExpiration(int? Days, DateTimeOffset? Date, bool ExpiredObjectDeleteMarker);

/// <summary>A move to another storage class, after Days or on a Date (noncurrent versions: after NoncurrentDays).</summary>
internal sealed record LifecycleTransition(int? Days, DateTimeOffset? Date, string StorageClass, int? NewerNoncurrentVersions = null);

/// <summary>One validated rule of a bucket's lifecycle configuration.</summary>
internal sealed record LifecycleRule(
    string Id,
    bool Enabled,
    LifecycleFilter Filter,
    LifecycleExpiration? Expiration,
    int? NoncurrentDays,
    int? NewerNoncurrentVersions,
    int? AbortAfterDays,
    IReadOnlyList<LifecycleTransition> Transitions,
    IReadOnlyList<LifecycleTransition> NoncurrentTransitions)
{
    /// <summary>
    /// When an action counted in days from <paramref name="start"/> is due: S3 adds the days and
    /// rounds up to the next midnight UTC ("Lifecycle rules: based on an object's age").
    /// </summary>
    public static DateTimeOffset DueAfter(DateTimeOffset start, int days)
    {
        var end = start.ToUniversalTime().AddDays(days);
        var midnight = new DateTimeOffset(end.Year, end.Month, end.Day, 0, 0, 0, TimeSpan.Zero);
        return end == midnight ? midnight : midnight.AddDays(1);
    }

    /// <summary>When the current version <paramref name="record"/> expires under this rule, or null when the rule does not expire it.</summary>
    public DateTimeOffset? ExpiryOf(S3ObjectRecord record) => Expiration switch
    {
        { Days: { } days } => DueAfter(record.LastModified, days),
        { Date: { } date } => date,
        _ => null,
    };
}
