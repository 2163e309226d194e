namespace Cloudkeep.Auth;

/// <summary>Credentials ready for a child process; Expiration is null for long-term keys, AssumedRoleArn set when they are a role's.</summary>
internal sealed record TemporaryCredentials(
    string AccessKeyId,
    string SecretAccessKey,
    string? SessionToken,
    DateTimeOffset? Expiration,
    string? AccountId = null,
    string? AssumedRoleArn = null,
    string? AssumedRoleId = null)
{
    /// <summary>Never prints the secret or the token, whatever logs this record.</summary>
    public override string ToString() => $"TemporaryCredentials {{ AccessKeyId = {AccessKeyId}, Expiration = {Expiration:O} }}";
}
