using System.Globalization;
using System.Text;

namespace Cloudkeep.Auth;

/// <summary>
/// The variables a command run by `cloudkeep auth` gets (null means removed): the credentials,
/// the legacy AWS_SECURITY_TOKEN that the seed's aws-auth also set for older tools, region,
/// endpoint and expiry. AWS_PROFILE goes, so the child uses these rather than resolving again.
/// </summary>
internal static class ChildEnvironment
{
    public static SortedDictionary<string, string?> For(TemporaryCredentials credentials, ResolvedProfile profile)
    {
        var variables = new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = credentials.SessionToken,
            ["AWS_SECURITY_TOKEN"] = credentials.SessionToken,
            ["AWS_CREDENTIAL_EXPIRATION"] = credentials.Expiration?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["AWS_PROFILE"] = null,
            ["AWS_DEFAULT_PROFILE"] = null,
        };
        if (profile.Region is { } region)
        {
            variables["AWS_REGION"] = region;
            variables["AWS_DEFAULT_REGION"] = region;
        }

        if (profile.EndpointUrl is { } endpoint)
        {
            variables["AWS_ENDPOINT_URL"] = endpoint;
        }

        return variables;
    }

    /// <summary>`export` and `unset` lines for a POSIX shell (`eval "$(cloudkeep auth --export)"`).</summary>
    public static string ExportLines(IReadOnlyDictionary<string, string?> variables)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in variables)
        {
            text.Append(value is null ? $"unset {name}\n" : $"export {name}={Quote(value)}\n");
        }

        return text.ToString();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
