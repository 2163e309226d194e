using System.Globalization;
using System.Text;

namespace Cloudkeep.Services.Logs;

/// <summary>CloudWatch Logs' page sizes and tokens (opaque to callers; a token that does not read back is InvalidParameterException).</summary>
public static class LogsPaging
{
    public static int Limit(long? asked, int max)
    {
        if (asked is null)
        {
            return max;
        }

        return asked is >= 1 && asked <= max ? (int)asked : throw LogsErrors.InvalidParameter.ToException($"1 validation error detected: Value '{asked}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {max}");
    }

    public static string Token(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string After(string? token) => token is null ? "" : Read(token);

    public static string OffsetToken(int offset) => Token("o/" + offset.ToString(CultureInfo.InvariantCulture));

    public static int Offset(string? token) =>
        token is null ? 0
        : Read(token) is { } text && text.StartsWith("o/", StringComparison.Ordinal) && int.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset
        : throw Invalid();

    /// <summary>A position in a stream or group: direction letter, timestamp, stream (may be empty), sequence.</summary>
    public static string PositionToken(char direction, long at, string stream, long seq) =>
        Token(string.Create(CultureInfo.InvariantCulture, $"{direction}/{at}/{seq}/{stream}"));

    public static (char Direction, long At, string Stream, long Seq) Position(string token)
    {
        var parts = Read(token).Split('/', 4);
        if (parts.Length != 4 || parts[0] is not ("f" or "b" or "g")
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            throw Invalid();
        }

        return (parts[0][0], at, parts[3], seq);
    }

    private static string Read(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    private static Core.Errors.AwsException Invalid() => LogsErrors.InvalidParameter.ToException("The specified nextToken is invalid.");
}
