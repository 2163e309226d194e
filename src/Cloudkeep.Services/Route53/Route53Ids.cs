using System.Security.Cryptography;

namespace Cloudkeep.Services.Route53;

/// <summary>
/// Route 53's identifiers: hosted zones ("Z" and 20 upper-case letters and digits) and changes
/// ("C" and the same), answered as "/hostedzone/Z..." and "/change/C..."; requests may name them either way.
/// </summary>
public static class Route53Ids
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public const string ZonePrefix = "/hostedzone/";

    public const string ChangePrefix = "/change/";

    public static string NewZoneId() => "Z" + Random(20);

    public static string NewChangeId() => "C" + Random(20);

    /// <summary>The bare id of "/hostedzone/Z..." or "Z..."; null when the text is no id at all.</summary>
    public static string? Zone(string? text) => Bare(text, ZonePrefix);

    public static string? Change(string? text) => Bare(text, ChangePrefix);

    public static string ZoneArn(string zoneId) => "arn:aws:route53:::hostedzone/" + zoneId;

    public static string ChangeArn(string changeId) => "arn:aws:route53:::change/" + changeId;

    private static string? Bare(string? text, string prefix)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var id = text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
        return id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit) ? id : null;
    }

    private static string Random(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }
}
