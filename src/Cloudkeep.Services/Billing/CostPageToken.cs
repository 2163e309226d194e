using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// Cost Explorer's NextPageToken: base64url of {"r": the request's fingerprint, "a": where the
/// page ended}. The token carries no secret and grants nothing: a position only selects where a
/// page starts within what the caller may already see, so an edited token can at most skip or
/// repeat the caller's own rows. The fingerprint (SHA-256 of the request without its token and
/// MaxResults) lets a token used with other parameters answer RequestChangedException, as Cost
/// Explorer does ("Your request parameters changed between pages").
/// </summary>
public static class CostPageToken
{
    private const string TokenMember = "NextPageToken";

    public static string Fingerprint(JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var canonical = new JsonObject();
        foreach (var (name, value) in input.Where(p => p.Key is not (TokenMember or "MaxResults")).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            canonical[name] = value?.DeepClone();
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())))[..32];
    }

    public static string Issue(string fingerprint, string after) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["r"] = fingerprint, ["a"] = after }.ToJsonString()));

    /// <summary>The position the request's token names, or null without one.</summary>
    public static string? After(JsonObject input, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.OptStr(TokenMember) is not { Length: > 0 } token)
        {
            return null;
        }

        string? issuedFor = null, after = null;
        try
        {
            if (token.Length <= 8192 && JsonNode.Parse(Base64Url.DecodeFromChars(token)) is JsonObject read)
            {
                issuedFor = (read["r"] as JsonValue)?.TryGetValue<string>(out var r) == true ? r : null;
                after = (read["a"] as JsonValue)?.TryGetValue<string>(out var a) == true ? a : null;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
        }

        if (issuedFor is null || after is null)
        {
            throw CostExplorerErrors.InvalidNextToken.ToException("Invalid pagination token.");
        }

        return issuedFor == fingerprint
            ? after
            : throw CostExplorerErrors.RequestChanged.ToException("Your request parameters changed between pages. Try again with the old parameters or without a pagination token.");
    }
}
