using System.Globalization;

namespace Cloudkeep.Auth;

/// <summary>
/// Resolves a profile into a credential tree by the AWS CLI's rules: an explicit --profile, else
/// environment keys, else AWS_PROFILE (or AWS_DEFAULT_PROFILE), else `default`. A profile with
/// role_arn assumes it from its source_profile (chains of any depth; a source profile's static
/// keys win over its own role_arn, and a profile may name itself only to use its own keys) or from
/// credential_source = Environment. Loops are errors that show the chain.
/// </summary>
internal static class ProfileResolver
{
    private static readonly string[] UnsupportedSources = ["sso_session", "sso_start_url", "web_identity_token_file"];

    public static ResolvedProfile Resolve(ProfileSet profiles, EnvironmentVariables environment, string? explicitProfile, int? durationSeconds = null)
    {
        var fromEnvironment = explicitProfile ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"];
        if (explicitProfile is null && EnvironmentKeys(environment, profile: null) is { } keys)
        {
            // The AWS CLI's chain puts environment keys before any profile named by AWS_PROFILE;
            // only --profile turns them off. Region and endpoint still come from that profile.
            var configProfile = fromEnvironment ?? "default";
            var known = profiles.Profiles.ContainsKey(configProfile) ? configProfile : null;
            return new ResolvedProfile(null, keys, Region(profiles, environment, known), Sts(profiles, environment, known), ConfiguredEndpoints.Global(profiles, known, environment))
            {
                CaBundle = CaBundle(profiles, environment, known),
            };
        }

        var name = fromEnvironment ?? "default";
        if (!profiles.Profiles.ContainsKey(name))
        {
            throw new AuthException(name == "default" && fromEnvironment is null
                ? $"no credentials: no profile given (--profile or AWS_PROFILE), no [default] profile in {profiles.ConfigFile} or {profiles.CredentialsFile}, and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set.{Known(profiles)}"
                : $"the profile \"{name}\" could not be found in {profiles.ConfigFile} or {profiles.CredentialsFile}.{Known(profiles)}");
        }

        var source = Source(profiles, environment, name, [name], topLevel: true, durationSeconds);
        return new ResolvedProfile(name, source, Region(profiles, environment, name), Sts(profiles, environment, name), ConfiguredEndpoints.Global(profiles, name, environment))
        {
            CaBundle = CaBundle(profiles, environment, name),
        };
    }

    /// <summary>" Known profiles: a, b." or a hint that none are configured, for error messages.</summary>
    public static string Known(ProfileSet profiles) =>
        profiles.Profiles.Count == 0
            ? " No profiles are configured."
            : $" Known profiles: {string.Join(", ", profiles.Profiles.Keys.Order(StringComparer.Ordinal))}.";

    private static CredentialSource Source(ProfileSet profiles, EnvironmentVariables environment, string name, List<string> visited, bool topLevel, int? durationOverride)
    {
        var hasStatic = profiles.Get(name, "aws_access_key_id") is not null || profiles.Get(name, "aws_secret_access_key") is not null;
        if (profiles.Get(name, "role_arn") is { } roleArn && (topLevel || !hasStatic))
        {
            return AssumeRole(profiles, environment, name, roleArn, visited, hasStatic, topLevel ? durationOverride : null);
        }

        if (hasStatic)
        {
            var keys = Static(profiles, name);
            if (topLevel && profiles.Get(name, "mfa_serial") is { } serial && keys.SessionToken is null)
            {
                return new SessionTokenCredentialSource(name, keys, serial, durationOverride ?? Duration(profiles, name));
            }

            return keys;
        }

        if (profiles.Get(name, "credential_process") is { } command)
        {
            return new ProcessCredentialSource(name, command);
        }

        var unsupported = UnsupportedSources.FirstOrDefault(p => profiles.Get(name, p) is not null);
        throw new AuthException(unsupported is null
            ? $"the profile \"{name}\" has no credentials: it needs aws_access_key_id and aws_secret_access_key (in {profiles.CredentialsFile}), role_arn with source_profile or credential_source, or credential_process."
            : $"the profile \"{name}\" uses {unsupported}, which cloudkeep auth does not support; give it aws_access_key_id and aws_secret_access_key, role_arn with source_profile, or credential_process.");
    }

    private static AssumeRoleCredentialSource AssumeRole(ProfileSet profiles, EnvironmentVariables environment, string name, string roleArn, List<string> visited, bool hasStatic, int? durationOverride)
    {
        var sourceProfile = profiles.Get(name, "source_profile");
        var credentialSource = profiles.Get(name, "credential_source");
        CredentialSource source;
        if (sourceProfile is not null && credentialSource is not null)
        {
            throw new AuthException($"the profile \"{name}\" has both source_profile and credential_source; keep one.");
        }

        if (credentialSource is not null)
        {
            source = credentialSource switch
            {
                "Environment" => EnvironmentKeys(environment, name)
                    ?? throw new AuthException($"the profile \"{name}\" has credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set."),
                "Ec2InstanceMetadata" or "EcsContainer" => throw new AuthException($"the profile \"{name}\" has credential_source = {credentialSource}, which cloudkeep auth does not support (only Environment)."),
                _ => throw new AuthException($"the credential_source \"{credentialSource}\" in the profile \"{name}\" is not valid (Environment, Ec2InstanceMetadata or EcsContainer)."),
            };
        }
        else if (sourceProfile is null)
        {
            throw new AuthException($"the profile \"{name}\" has role_arn but neither source_profile nor credential_source, so there are no credentials to assume the role with.");
        }
        else if (!profiles.Profiles.ContainsKey(sourceProfile))
        {
            throw new AuthException($"the source_profile \"{sourceProfile}\" of the profile \"{name}\" does not exist.{Known(profiles)}");
        }
        else if (sourceProfile == name)
        {
            // Allowed so one profile can hold its keys and its role; without keys it is a loop.
            source = hasStatic ? Static(profiles, name) : throw Loop([.. visited, name]);
        }
        else if (visited.Contains(sourceProfile))
        {
            throw Loop([.. visited, sourceProfile]);
        }
        else
        {
            source = Source(profiles, environment, sourceProfile, [.. visited, sourceProfile], topLevel: false, durationOverride: null);
        }

        return new AssumeRoleCredentialSource(name, source, roleArn, profiles.Get(name, "mfa_serial"), durationOverride ?? Duration(profiles, name),
            profiles.Get(name, "role_session_name"), profiles.Get(name, "external_id"));
    }

    private static AuthException Loop(List<string> chain) =>
        new($"the source_profile settings form a loop: {string.Join(" -> ", chain)}.");

    private static StaticCredentialSource Static(ProfileSet profiles, string name)
    {
        var accessKeyId = profiles.Get(name, "aws_access_key_id") ?? throw new AuthException($"the profile \"{name}\" has aws_secret_access_key but no aws_access_key_id.");
        var secret = profiles.Get(name, "aws_secret_access_key") ?? throw new AuthException($"the profile \"{name}\" has aws_access_key_id but no aws_secret_access_key.");
        return new StaticCredentialSource(name, accessKeyId, secret, profiles.Get(name, "aws_session_token"));
    }

    private static EnvironmentCredentialSource? EnvironmentKeys(EnvironmentVariables environment, string? profile) =>
        environment["AWS_ACCESS_KEY_ID"] is { } id && environment["AWS_SECRET_ACCESS_KEY"] is { } secret
            ? new EnvironmentCredentialSource(profile, id, secret, environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"], environment["AWS_CREDENTIAL_EXPIRATION"])
            : null;

    private static int? Duration(ProfileSet profiles, string name)
    {
        var text = profiles.Get(name, "duration_seconds");
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new AuthException($"the duration_seconds \"{text}\" of the profile \"{name}\" is not a whole number of seconds.");
    }

    /// <summary>
    /// AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then the first region along its
    /// source_profile chain: the seed's aws-auth used the source profile's region, and people keep
    /// `region` in [default] only.
    /// </summary>
    /// <summary>AWS_CA_BUNDLE wins over the profile's ca_bundle, as in the AWS CLI.</summary>
    private static string? CaBundle(ProfileSet profiles, EnvironmentVariables environment, string? name) =>
        environment["AWS_CA_BUNDLE"] ?? (name is null ? null : profiles.Get(name, "ca_bundle"));

    private static string? Region(ProfileSet profiles, EnvironmentVariables environment, string? name)
    {
        if ((environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]) is { } fromEnvironment)
        {
            return fromEnvironment;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (name is not null && seen.Add(name))
        {
            if (profiles.Get(name, "region") is { } region)
            {
                return region;
            }

            name = profiles.Get(name, "source_profile");
        }

        return null;
    }

    private static string? Sts(ProfileSet profiles, EnvironmentVariables environment, string? name) =>
        ConfiguredEndpoints.Resolve(profiles, name, environment, "STS");
}
