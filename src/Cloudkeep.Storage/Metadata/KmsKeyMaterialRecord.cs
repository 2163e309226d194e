namespace Cloudkeep.Storage.Metadata;

/// <summary>One version of a KMS key's material, sealed under the master key (never stored in the clear).</summary>
public sealed record KmsKeyMaterialRecord(string KeyId, int Version, string MaterialSealed, DateTimeOffset CreatedAt);
