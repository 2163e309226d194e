using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// GetDimensionValues' and GetTags' pages: values in ordinal order, MaxResults (at most 1000, "the
/// request returns 1000 results as the default", GetDimensionValues reference) a page, and a
/// NextPageToken naming the last value given, so values added meanwhile neither shift nor repeat a page.
/// </summary>
public sealed record ValuePage(IReadOnlyList<string> Values, int TotalSize, string? NextPageToken)
{
    public const int MaxResults = 1000;

    /// <summary>The MaxResults problem of a request, added to the others it is reported with.</summary>
    public static int PageSize(JsonObject input, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(problems);
        var asked = input.OptLong("MaxResults");
        if (asked is < 1 or > MaxResults)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxResults must be between 1 and {MaxResults}, not {asked}"));
        }

        return (int)Math.Clamp(asked ?? MaxResults, 1, MaxResults);
    }

    public static ValuePage Of(IReadOnlyList<string> sortedValues, JsonObject input, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(sortedValues);
        var fingerprint = CostPageToken.Fingerprint(input);
        var after = CostPageToken.After(input, fingerprint);
        var remaining = after is null ? sortedValues : [.. sortedValues.Where(v => string.CompareOrdinal(v, after) > 0)];
        var page = remaining.Take(pageSize).ToList();
        var next = page.Count < remaining.Count ? CostPageToken.Issue(fingerprint, page[^1]) : null;
        return new ValuePage(page, sortedValues.Count, next);
    }
}
