using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Iam;

/// <summary>
/// IAM's Marker / MaxItems / IsTruncated pagination. The marker is opaque to clients: the base64 of
/// the sort key of the first item of the next page, so pages stay stable while items are added.
/// </summary>
public static class Paging
{
    public const int DefaultMaxItems = 100;

    public static (IReadOnlyList<T> Page, bool IsTruncated, string? NextMarker) Page<T>(IEnumerable<T> items, Func<T, string> key, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var max = (int)(input.OptLong("MaxItems") ?? DefaultMaxItems);
        var sorted = items.OrderBy(key, StringComparer.Ordinal).ToList();
        var start = 0;
        if (input.OptStr("Marker") is { } marker)
        {
            var after = DecodeMarker(marker);
            start = sorted.FindIndex(i => string.CompareOrdinal(key(i), after) >= 0);
            if (start < 0)
            {
                start = sorted.Count;
            }
        }

        var page = sorted.Skip(start).Take(max).ToList();
        var truncated = start + page.Count < sorted.Count;
        return (page, truncated, truncated ? Convert.ToBase64String(Encoding.UTF8.GetBytes(key(sorted[start + page.Count]))) : null);
    }

    /// <summary>
    /// The same pages as <see cref="Page{T}"/>, read from the store in key order a batch at a time:
    /// <paramref name="fetch"/> gives up to n items from a key (included or not), and only items
    /// <paramref name="keep"/> accepts count towards the page.
    /// </summary>
    public static async Task<(IReadOnlyList<T> Page, bool IsTruncated, string? NextMarker)> PageAsync<T>(
        Func<string?, bool, int, Task<IReadOnlyList<T>>> fetch, Func<T, string> key, Func<T, bool> keep, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentNullException.ThrowIfNull(input);
        var max = (int)(input.OptLong("MaxItems") ?? DefaultMaxItems);
        var batch = Math.Max(max + 1, 64);
        var from = input.OptStr("Marker") is { } marker ? DecodeMarker(marker) : null;
        var inclusive = true;
        var page = new List<T>();
        while (true)
        {
            var items = await fetch(from, inclusive, batch);
            foreach (var item in items.Where(keep))
            {
                if (page.Count == max)
                {
                    return (page, true, Convert.ToBase64String(Encoding.UTF8.GetBytes(key(item))));
                }

                page.Add(item);
            }

            if (items.Count < batch)
            {
                return (page, false, null);
            }

            from = key(items[^1]);
            inclusive = false;
        }
    }

    private static string DecodeMarker(string marker)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(marker));
        }
        catch (FormatException)
        {
            throw IamErrors.InvalidInput.ToException("Invalid Marker.");
        }
    }

    public static JsonObject Result(string listMember, IEnumerable<JsonNode> items, bool isTruncated, string? marker)
    {
        var result = new JsonObject { [listMember] = new JsonArray([.. items]), ["IsTruncated"] = isTruncated };
        if (marker is not null)
        {
            result["Marker"] = marker;
        }

        return result;
    }

    public static bool PathMatches(string path, JsonObject input) =>
        input.OptStr("PathPrefix") is not { } prefix || path.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>AWS's AccessDenied-free validation of IAM paths: "/" or "/segments/".</summary>
    public static string CheckPath(string? path)
    {
        path ??= "/";
        if (!path.StartsWith('/') || !path.EndsWith('/'))
        {
            throw CommonErrors.ValidationError.ToException("The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.");
        }

        return path;
    }
}
