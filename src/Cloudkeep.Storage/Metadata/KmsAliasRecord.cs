namespace Cloudkeep.Storage.Metadata;

/// <summary>An alias (alias/name) pointing at one key of the same account and region.</summary>
public sealed record KmsAliasRecord(
    string AccountId,
    string Region,
    string AliasName,
    string KeyId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
