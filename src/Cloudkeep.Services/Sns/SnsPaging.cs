using System.Text;

namespace Cloudkeep.Services.Sns;

/// <summary>SNS's list pages: 100 items, continued after the last ARN returned (the token is opaque to callers).</summary>
public static class SnsPaging
{
    public const int PageSize = 100;

    public static string Token(string lastArn) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastArn));

    public static string After(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "";
        }

        try
        {
            var arn = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return arn.StartsWith("arn:aws:sns:", StringComparison.Ordinal) ? arn : throw SnsErrors.Invalid("NextToken");
        }
        catch (FormatException)
        {
            throw SnsErrors.Invalid("NextToken");
        }
    }
}
