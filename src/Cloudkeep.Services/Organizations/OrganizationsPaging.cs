using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Organizations;

/// <summary>
/// Organizations' List* paging: MaxResults (1 to 20, checked by the model; 20 when absent) and an
/// opaque NextToken, here the offset of the next item. A token we did not issue is
/// InvalidInputException (INVALID_NEXT_TOKEN).
/// </summary>
public static class OrganizationsPaging
{
    public const int DefaultMaxResults = 20;

    public static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(input);
        var start = 0;
        if (input.OptStr("NextToken") is { } token
            && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > items.Count))
        {
            throw OrganizationsErrors.WithReason(OrganizationsErrors.InvalidInput, "INVALID_NEXT_TOKEN", "The NextToken is not valid.");
        }

        var max = (int)(input.OptLong("MaxResults") ?? DefaultMaxResults);
        var page = items.Skip(start).Take(max).ToList();
        var next = start + page.Count < items.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return (page, next);
    }

    /// <summary>A List* answer: one page of <paramref name="items"/> under <paramref name="member"/>, and NextToken when more remain.</summary>
    public static Cloudkeep.Core.Operations.OperationResult Result(string member, IReadOnlyList<JsonNode> items, JsonObject input)
    {
        var (page, next) = Page(items, input);
        var output = new JsonObject { [member] = new JsonArray([.. page.Select(n => n.DeepClone())]) };
        if (next is not null)
        {
            output["NextToken"] = next;
        }

        return new Cloudkeep.Core.Operations.OperationResult(output);
    }
}
