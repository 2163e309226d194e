namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// A KMS key's metadata. Its key material lives in <see cref="KmsKeyMaterialRecord"/> rows, one per
/// rotation, always sealed; <see cref="CurrentMaterialVersion"/> names the one new ciphertexts use.
/// </summary>
public sealed record KmsKeyRecord(
    string KeyId,
    string AccountId,
    string Region,
    string Description,
    string KeyState,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeletionDate,
    string Policy,
    int PolicyVersion,
    bool RotationEnabled,
    int? RotationPeriodDays,
    DateTimeOffset? NextRotationAt,
    int CurrentMaterialVersion);
