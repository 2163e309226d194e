using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>Reading metrics, dimensions, values and times out of CloudWatch inputs, with the service's checks.</summary>
public static class MetricInputs
{
    /// <summary>A value CloudWatch takes: finite, and within ±2^360 with a magnitude of at least 2^-260 unless zero ("PutMetricData", CloudWatch API reference).</summary>
    public static bool IsAcceptedValue(double value) =>
        double.IsFinite(value) && Math.Abs(value) <= Math.Pow(2, 360) && (value == 0 || Math.Abs(value) >= Math.Pow(2, -260));

    /// <summary>A list of Dimension structures as name → value; a name given twice is InvalidParameterValue.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Dimensions(JsonArray? dimensions, string parameter)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var dimension in dimensions.Objects())
        {
            var name = dimension.OptStr("Name") ?? throw CloudWatchErrors.MissingParameter.ToException($"The parameter {parameter}.Name is required.");
            var value = dimension.OptStr("Value") ?? throw CloudWatchErrors.MissingParameter.ToException($"The parameter {parameter}.Value is required.");
            if (result.Any(d => d.Key == name))
            {
                throw CloudWatchErrors.InvalidParameterValue.ToException($"No metric may have two dimensions named {name} ({parameter}).");
            }

            result.Add(new(name, value));
        }

        return result;
    }

    public static MetricIdentity Metric(string accountId, string region, string ns, string name, IEnumerable<KeyValuePair<string, string>> dimensions) =>
        new(accountId, region, ns, name, MetricIdentity.CanonicalDimensions(dimensions));

    public static JsonArray DimensionsOutput(MetricIdentity metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return [.. metric.DimensionList().Select(d => (JsonNode)new JsonObject { ["Name"] = d.Key, ["Value"] = d.Value })];
    }

    public static JsonObject MetricOutput(MetricIdentity metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return new JsonObject { ["Namespace"] = metric.Namespace, ["MetricName"] = metric.Name, ["Dimensions"] = DimensionsOutput(metric) };
    }

    public static DateTimeOffset Time(JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) && node is JsonValue value && value.TryGetValue<DateTimeOffset>(out var at)
            ? at
            : throw CloudWatchErrors.MissingParameter.ToException($"The parameter {member} is required.");

    public static double? Number(JsonObject input, string member)
    {
        if (!input.TryGetPropertyValue(member, out var node) || node is not JsonValue value)
        {
            return null;
        }

        return value.TryGetValue<double>(out var d) ? d : value.TryGetValue<long>(out var l) ? l : value.TryGetValue<int>(out var i) ? i : null;
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Opaque paging tokens: an offset into a stable order.</summary>
    public static string OffsetToken(int offset) => Convert.ToBase64String(BitConverter.GetBytes(offset ^ 0x5a5a5a5a));

    public static int Offset(string? token)
    {
        if (token is null)
        {
            return 0;
        }

        try
        {
            var bytes = Convert.FromBase64String(token);
            return bytes.Length == 4 && (BitConverter.ToInt32(bytes) ^ 0x5a5a5a5a) is var offset and >= 0 ? offset : throw new FormatException();
        }
        catch (FormatException)
        {
            throw CloudWatchErrors.InvalidNextToken.ToException("The service returned an invalid NextToken.");
        }
    }
}
