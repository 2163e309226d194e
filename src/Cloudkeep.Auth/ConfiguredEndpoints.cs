namespace Cloudkeep.Auth;

/// <summary>
/// Service-specific and global endpoints as the SDKs configure them ("Service-specific endpoints"
/// in the AWS SDKs and Tools reference guide): a client's own endpoint first; then, unless
/// ignore_configured_endpoint_urls is on, AWS_ENDPOINT_URL_&lt;SERVICE&gt;, AWS_ENDPOINT_URL, the
/// profile's `services` section, and the profile's endpoint_url. Null means the SDK's default.
/// </summary>
internal static class ConfiguredEndpoints
{
    /// <summary>The endpoint for <paramref name="serviceId"/>, the service's SDK id as the models name it ("STS", "S3", "DynamoDB").</summary>
    public static string? Resolve(ProfileSet profiles, string? profile, EnvironmentVariables environment, string serviceId, string? clientEndpoint = null, bool? clientIgnore = null)
    {
        if (clientEndpoint is not null)
        {
            return clientEndpoint;
        }

        var ignore = clientIgnore
            ?? ParseBool(environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"])
            ?? (profile is null ? null : ParseBool(profiles.Get(profile, "ignore_configured_endpoint_urls")))
            ?? false;
        if (ignore)
        {
            return null;
        }

        var envKey = serviceId.ToUpperInvariant().Replace(' ', '_');
        if (environment[$"AWS_ENDPOINT_URL_{envKey}"] is { } serviceFromEnvironment)
        {
            return serviceFromEnvironment;
        }

        if (environment["AWS_ENDPOINT_URL"] is { } globalFromEnvironment)
        {
            return globalFromEnvironment;
        }

        if (profile is null)
        {
            return null;
        }

        if (profiles.Get(profile, "services") is { } servicesName
            && profiles.Services.TryGetValue(servicesName, out var services)
            && services.TryGetValue(serviceId.ToLowerInvariant().Replace(' ', '_'), out var block)
            && ProfileFileParser.SubProperties(block).TryGetValue("endpoint_url", out var serviceFromConfig)
            && serviceFromConfig.Length > 0)
        {
            return serviceFromConfig;
        }

        return profiles.Get(profile, "endpoint_url");
    }

    /// <summary>The endpoint without a service-specific override: what a child process gets as AWS_ENDPOINT_URL.</summary>
    public static string? Global(ProfileSet profiles, string? profile, EnvironmentVariables environment)
    {
        var ignore = ParseBool(environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"])
            ?? (profile is null ? null : ParseBool(profiles.Get(profile, "ignore_configured_endpoint_urls")))
            ?? false;
        return ignore ? null : environment["AWS_ENDPOINT_URL"] ?? (profile is null ? null : profiles.Get(profile, "endpoint_url"));
    }

    private static bool? ParseBool(string? value) =>
        value is null ? null : value.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : value.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : null;
}
