namespace Cloudkeep.Auth;

/// <summary>
/// The console's switch-role link for a profile's role
/// (`/switchrole?account=&lt;id&gt;&amp;roleName=&lt;name&gt;&amp;displayName=&lt;text&gt;`). The console is AWS's
/// sign-in host for the role's partition, or `&lt;endpoint&gt;/console` when the profile points at a
/// Cloudkeep endpoint.
/// </summary>
public static class ConsoleUrl
{
    public static string For(ProfileSet profiles, EnvironmentVariables environment, string? explicitProfile, string? console, string? displayName)
    {
        var name = explicitProfile ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] ?? "default";
        if (!profiles.Profiles.ContainsKey(name))
        {
            throw new AuthException($"the profile \"{name}\" could not be found in {profiles.ConfigFile} or {profiles.CredentialsFile}.{ProfileResolver.Known(profiles)}");
        }

        var roleArn = profiles.Get(name, "role_arn") ?? throw new AuthException($"the profile \"{name}\" has no role_arn, so there is no role to switch to.");
        var parts = roleArn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[5].StartsWith("role/", StringComparison.Ordinal) || parts[4].Length != 12)
        {
            throw new AuthException($"the role_arn \"{roleArn}\" of the profile \"{name}\" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).");
        }

        var baseUrl = console
            ?? environment["CLOUDKEEP_CONSOLE_URL"]
            ?? (ConfiguredEndpoints.Global(profiles, name, environment) is { } endpoint ? endpoint.TrimEnd('/') + "/console" : null)
            ?? parts[1] switch
            {
                "aws-cn" => "https://signin.amazonaws.cn",
                "aws-us-gov" => "https://signin.amazonaws-us-gov.com",
                _ => "https://signin.aws.amazon.com",
            };

        // The console takes the role's path with its name, as in the ARN after "role/".
        var roleName = parts[5]["role/".Length..];
        return $"{baseUrl.TrimEnd('/')}/switchrole?account={parts[4]}&roleName={Uri.EscapeDataString(roleName)}&displayName={Uri.EscapeDataString(displayName ?? name)}";
    }
}
