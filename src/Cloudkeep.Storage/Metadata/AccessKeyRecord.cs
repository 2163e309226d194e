namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// A long-term access key. The secret is kept sealed under the master key: SigV4 needs the secret
/// itself to recompute signatures, so it cannot be hashed like a password.
/// </summary>
public sealed record AccessKeyRecord(
    string AccessKeyId,
    string AccountId,
    string? UserName,
    string SecretSealed,
    string Status,
    DateTimeOffset CreatedAt);
