namespace Cloudkeep.Auth;

/// <summary>Where a profile's credentials come from: a tree with the credentials the user holds at its leaf.</summary>
internal abstract record CredentialSource(string? Profile);

/// <summary>aws_access_key_id / aws_secret_access_key (and aws_session_token) in a profile.</summary>
internal sealed record StaticCredentialSource(string Profile, string AccessKeyId, string SecretAccessKey, string? SessionToken) : CredentialSource(Profile);

/// <summary>AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN: no profile, or `credential_source = Environment`.</summary>
internal sealed record EnvironmentCredentialSource(string? Profile, string AccessKeyId, string SecretAccessKey, string? SessionToken, string? Expiration) : CredentialSource(Profile);

/// <summary>credential_process: a command that prints the credentials as JSON.</summary>
internal sealed record ProcessCredentialSource(string Profile, string Command) : CredentialSource(Profile);

/// <summary>role_arn with source_profile or credential_source: AssumeRole with the source's credentials.</summary>
internal sealed record AssumeRoleCredentialSource(
    string Profile,
    CredentialSource Source,
    string RoleArn,
    string? SerialNumber,
    int? DurationSeconds,
    string? RoleSessionName,
    string? ExternalId) : CredentialSource(Profile);

/// <summary>mfa_serial without role_arn on long-term keys: GetSessionToken, so the child holds MFA-backed session credentials.</summary>
internal sealed record SessionTokenCredentialSource(string Profile, StaticCredentialSource Source, string SerialNumber, int? DurationSeconds) : CredentialSource(Profile);
