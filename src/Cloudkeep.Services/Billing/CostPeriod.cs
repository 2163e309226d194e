using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// A request's TimePeriod ("The start date is inclusive, but the end date is exclusive", DateInterval)
/// in the granularity's format: yyyy-MM-dd, or yyyy-MM-ddTHH:mm:ssZ for HOURLY, and its split into
/// result periods (months, days or hours; a month cut short by the request's dates stays short).
/// </summary>
public sealed record CostPeriod(DateTimeOffset Start, DateTimeOffset End, string Granularity)
{
    public static readonly IReadOnlyList<string> Granularities = ["DAILY", "MONTHLY", "HOURLY"];

    public static CostPeriod Parse(JsonObject? timePeriod, string granularity, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var hourly = granularity == "HOURLY";
        var start = Date(timePeriod?[nameof(Start)]?.GetValue<string>(), nameof(Start), hourly, problems);
        var end = Date(timePeriod?[nameof(End)]?.GetValue<string>(), nameof(End), hourly, problems);
        if (start is { } s && end is { } e && s >= e)
        {
            problems.Add(hourly ? "Start date (and hour) should be before end date (and hour)" : "Start date should be before end date");
        }

        return new CostPeriod(start ?? DateTimeOffset.UnixEpoch, end ?? DateTimeOffset.UnixEpoch, granularity);
    }

    private static DateTimeOffset? Date(string? text, string member, bool hourly, List<string> problems)
    {
        string[] formats = hourly ? ["yyyy-MM-dd'T'HH:mm:ss'Z'"] : ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss'Z'"];
        if (text is not null && DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc));
        }

        problems.Add(hourly
            ? $"{member} date is invalid. The format of the date for HOURLY granularity must be yyyy-MM-ddTHH:mm:ssZ"
            : $"{member} date is invalid. The format of the date must be yyyy-MM-dd");
        return null;
    }

    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Split()
    {
        var at = Start;
        while (at < End)
        {
            var next = Granularity switch
            {
                "MONTHLY" => new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1),
                "HOURLY" => at.AddHours(1),
                _ => new DateTimeOffset(at.UtcDateTime.Date.AddDays(1), TimeSpan.Zero),
            };
            if (next > End)
            {
                next = End;
            }

            yield return (at, next);
            at = next;
        }
    }

    public string Format(DateTimeOffset at) => Granularity == "HOURLY"
        ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
