namespace Cloudkeep.Auth;

/// <summary>
/// The profiles of the shared config and credentials files merged as the SDKs merge them: sections
/// of one name merge, later properties win, `[profile default]` hides `[default]` in config, and a
/// credentials property wins over the same property in config. `sso-session` and `services`
/// sections come from config only.
/// </summary>
public sealed class ProfileSet
{
    private ProfileSet(
        Dictionary<string, Dictionary<string, string>> profiles,
        Dictionary<string, Dictionary<string, string>> ssoSessions,
        Dictionary<string, Dictionary<string, string>> services,
        string configFile,
        string credentialsFile)
    {
        Profiles = profiles;
        SsoSessions = ssoSessions;
        Services = services;
        ConfigFile = configFile;
        CredentialsFile = credentialsFile;
    }

    public IReadOnlyDictionary<string, Dictionary<string, string>> Profiles { get; }

    public IReadOnlyDictionary<string, Dictionary<string, string>> SsoSessions { get; }

    public IReadOnlyDictionary<string, Dictionary<string, string>> Services { get; }

    public string ConfigFile { get; }

    public string CredentialsFile { get; }

    /// <summary>Reads the files the AWS CLI reads: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials. Missing files are empty.</summary>
    public static ProfileSet Load(EnvironmentVariables environment)
    {
        var configFile = environment.ExpandHome(environment["AWS_CONFIG_FILE"] ?? Path.Combine(environment.Home, ".aws", "config"));
        var credentialsFile = environment.ExpandHome(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? Path.Combine(environment.Home, ".aws", "credentials"));
        return Parse(ReadIfPresent(configFile), ReadIfPresent(credentialsFile), configFile, credentialsFile);
    }

    public static ProfileSet Parse(string? configText, string? credentialsText, string configFile = "config", string credentialsFile = "credentials")
    {
        var profiles = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var ssoSessions = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var services = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var config = ProfileFileParser.Parse(configText ?? "", ProfileFileKind.Config, configFile);
        var hasPrefixedDefault = config.Any(s => s.Kind == "profile" && s.Name == "default");
        foreach (var section in config)
        {
            var target = section.Kind switch
            {
                "profile" => profiles,
                "default" when !hasPrefixedDefault => profiles,
                "sso-session" => ssoSessions,
                "services" => services,
                _ => null,
            };
            if (target is not null)
            {
                Merge(target, section);
            }
        }

        foreach (var section in ProfileFileParser.Parse(credentialsText ?? "", ProfileFileKind.Credentials, credentialsFile))
        {
            Merge(profiles, section);
        }

        return new ProfileSet(profiles, ssoSessions, services, configFile, credentialsFile);
    }

    /// <summary>A profile's property, or null when the profile or the property is absent or empty.</summary>
    public string? Get(string profile, string property) =>
        Profiles.TryGetValue(profile, out var properties) && properties.TryGetValue(property, out var value) && value.Length > 0 ? value : null;

    private static void Merge(Dictionary<string, Dictionary<string, string>> target, ProfileFileParser.Section section)
    {
        if (!target.TryGetValue(section.Name, out var properties))
        {
            properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            target[section.Name] = properties;
        }

        foreach (var (key, value) in section.Properties)
        {
            properties[key] = value;
        }
    }

    private static string? ReadIfPresent(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
