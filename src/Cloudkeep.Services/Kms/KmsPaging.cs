using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Kms;

/// <summary>
/// Limit/Marker pagination of the List operations: the marker is the opaque (base64url) sort key
/// of the last item returned; the next page starts after it.
/// </summary>
internal static class KmsPaging
{
    public static int Limit(JsonObject input, int defaultLimit) => (int)(KmsInput.Integer(input, "Limit") ?? defaultLimit);

    /// <summary>The sort key a marker stands for, or null without a marker; InvalidMarkerException when it is not one of ours.</summary>
    public static string? After(JsonObject input)
    {
        var marker = KmsInput.String(input, "Marker");
        if (marker is null)
        {
            return null;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(marker);
            return Encoding.UTF8.GetString(bytes);
        }
        catch (FormatException)
        {
            throw KmsErrors.InvalidMarker.ToException();
        }
    }

    public static string Marker(string sortKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(sortKey));

    /// <summary>Writes NextMarker and Truncated for a page fetched with one item more than <paramref name="limit"/>.</summary>
    public static IReadOnlyList<T> Page<T>(JsonObject output, IReadOnlyList<T> fetched, int limit, Func<T, string> sortKey)
    {
        var truncated = fetched.Count > limit;
        var page = truncated ? fetched.Take(limit).ToList() : fetched;
        output["Truncated"] = truncated;
        if (truncated)
        {
            output["NextMarker"] = Marker(sortKey(page[^1]));
        }

        return page;
    }
}
