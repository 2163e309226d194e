using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// A metric: account, region, namespace, name and its dimensions (a JSON array of [name, value]
/// pairs in name order, so one set of dimensions has one spelling).
/// </summary>
public sealed record MetricIdentity(string AccountId, string Region, string Namespace, string Name, string Dimensions)
{
    /// <summary>The row key: a hash of the whole identity.</summary>
    public string Key { get; } = Hash(AccountId, Region, Namespace, Name, Dimensions);

    public static string CanonicalDimensions(IEnumerable<KeyValuePair<string, string>> dimensions) =>
        JsonSerializer.Serialize(dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new[] { d.Key, d.Value }));

    public IReadOnlyList<KeyValuePair<string, string>> DimensionList() =>
        [.. (JsonSerializer.Deserialize<string[][]>(Dimensions) ?? []).Select(p => new KeyValuePair<string, string>(p[0], p[1]))];

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))));
}

/// <summary>
/// What a period's values come to: count, sum, minimum, maximum and, while it stays small enough to
/// keep, the distribution of the values themselves (value → count) for percentiles. A statistic set
/// (PutMetricData's StatisticValues) has no distribution, and neither has anything merged with one.
/// </summary>
public sealed record MetricAggregate(double SampleCount, double Sum, double Minimum, double Maximum, IReadOnlyDictionary<double, double>? Distribution)
{
    /// <summary>Distinct values kept per period before the distribution is dropped (percentiles are then not available).</summary>
    public const int MaxDistinctValues = 1000;

    public static MetricAggregate Of(double value) => new(1, value, value, value, new Dictionary<double, double> { [value] = 1 });

    public MetricAggregate Merge(MetricAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Dictionary<double, double>? merged = null;
        if (Distribution is not null && other.Distribution is not null)
        {
            merged = new Dictionary<double, double>(Distribution);
            foreach (var (value, count) in other.Distribution)
            {
                merged[value] = merged.GetValueOrDefault(value) + count;
            }

            if (merged.Count > MaxDistinctValues)
            {
                merged = null;
            }
        }

        return new(SampleCount + other.SampleCount, Sum + other.Sum, Math.Min(Minimum, other.Minimum), Math.Max(Maximum, other.Maximum), merged);
    }

    public string? DistributionText() =>
        Distribution is null ? null
        : string.Join(';', Distribution.OrderBy(d => d.Key).Select(d => d.Key.ToString("R", CultureInfo.InvariantCulture) + ":" + d.Value.ToString("R", CultureInfo.InvariantCulture)));

    public static IReadOnlyDictionary<double, double>? ParseDistribution(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var result = new Dictionary<double, double>();
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.LastIndexOf(':');
            result[double.Parse(pair[..colon], CultureInfo.InvariantCulture)] = double.Parse(pair[(colon + 1)..], CultureInfo.InvariantCulture);
        }

        return result;
    }
}

/// <summary>One stored period of a metric: its resolution (1, 60, 300 or 3600 seconds), its start (epoch seconds) and unit.</summary>
public sealed record MetricDatapointRecord(string MetricKey, int Resolution, long At, string Unit, MetricAggregate Value);

/// <summary>A metric alarm: its definition (the PutMetricAlarm members that describe it, as JSON), state and tags.</summary>
public sealed record MetricAlarmRecord(
    string AccountId,
    string Region,
    string Name,
    string Definition,
    bool ActionsEnabled,
    string State,
    string StateReason,
    string? StateReasonData,
    DateTimeOffset StateUpdated,
    DateTimeOffset StateTransitioned,
    DateTimeOffset ConfigUpdated,
    string Tags);

/// <summary>One alarm history item (ConfigurationUpdate, StateUpdate or Action).</summary>
public sealed record AlarmHistoryRecord(string AccountId, string Region, string AlarmName, DateTimeOffset At, string Id, string ItemType, string Summary, string Data);
