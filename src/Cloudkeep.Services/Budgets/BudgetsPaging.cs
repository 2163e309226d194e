using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Budgets;

/// <summary>
/// Budgets' MaxResults / NextToken paging. DescribeBudgets takes 1 to 1000 a page (100 when not
/// given); DescribeNotificationsForBudget and DescribeSubscribersForNotification 1 to 100 (the
/// model's bounds). The token is base64url of what it pages and where the page ended: the last
/// budget's name (so budgets created meanwhile shift nothing), or the count of notifications or
/// subscribers given. It carries no secret and grants nothing: a position only selects where a
/// page starts among what the caller's account may already read, so an edited token can at most
/// skip or repeat its own entries; one that does not read back is InvalidNextTokenException.
/// </summary>
public static class BudgetsPaging
{
    public const char Budgets = 'b';
    public const char Notifications = 'n';
    public const char Subscribers = 's';

    public static (IReadOnlyList<T> Page, string? NextToken) ByName<T>(IReadOnlyList<T> items, Func<T, string> name, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(name);
        var max = PageSize(input, 1000, 100);
        var after = Read(input, Budgets);
        var sorted = items.OrderBy(name, StringComparer.Ordinal).ToList();
        var remaining = after is null ? sorted : [.. sorted.Where(i => string.CompareOrdinal(name(i), after) > 0)];
        var page = remaining.Take(max).ToList();
        return (page, page.Count < remaining.Count ? Token(Budgets, name(page[^1])) : null);
    }

    public static (IReadOnlyList<T> Page, string? NextToken) ByOffset<T>(IReadOnlyList<T> items, char kind, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(items);
        var max = PageSize(input, 100, 100);
        var start = 0;
        if (Read(input, kind) is { } offset && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > items.Count))
        {
            throw Invalid();
        }

        var page = items.Skip(start).Take(max).ToList();
        return (page, start + page.Count < items.Count ? Token(kind, (start + page.Count).ToString(CultureInfo.InvariantCulture)) : null);
    }

    /// <summary>
    /// The page size asked for. The model's bounds are enforced before any handler runs (a
    /// ValidationException); this keeps a caller that skipped them in range all the same.
    /// </summary>
    public static int PageSize(JsonObject input, int max, int fallback)
    {
        ArgumentNullException.ThrowIfNull(input);
        var asked = input.OptLong("MaxResults");
        return asked switch
        {
            null => fallback,
            >= 1 when asked <= max => (int)asked,
            _ => throw BudgetsErrors.InvalidParameter.ToException(string.Create(CultureInfo.InvariantCulture, $"MaxResults must be between 1 and {max}, not {asked}.")),
        };
    }

    private static string Token(char kind, string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(kind + "/" + position));

    private static string? Read(JsonObject input, char kind)
    {
        if (input.OptStr("NextToken") is not { Length: > 0 } token)
        {
            return null;
        }

        string text;
        try
        {
            text = token.Length <= 4096 ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)) : "";
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        return text.Length > 2 && text[0] == kind && text[1] == '/' ? text[2..] : throw Invalid();
    }

    private static Core.Errors.AwsException Invalid() => BudgetsErrors.InvalidNextToken.ToException("The pagination token is invalid.");
}
