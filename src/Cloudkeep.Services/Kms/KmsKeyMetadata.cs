using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms;

/// <summary>The KeyMetadata structure of a Cloudkeep key (symmetric, AWS_KMS origin; customer managed, or AWS managed for alias/aws/s3).</summary>
internal static class KmsKeyMetadata
{
    public const string SymmetricDefault = "SYMMETRIC_DEFAULT";
    public const string EncryptDecrypt = "ENCRYPT_DECRYPT";

    public static JsonObject Build(KmsKeyRecord key, bool awsManaged = false)
    {
        var metadata = new JsonObject
        {
            ["AWSAccountId"] = key.AccountId,
            ["KeyId"] = key.KeyId,
            ["Arn"] = KmsKeyStore.KeyArn(key),
            ["CreationDate"] = key.CreatedAt,
            ["Enabled"] = key.KeyState == KmsKeyState.Enabled,
            ["Description"] = key.Description,
            ["KeyUsage"] = EncryptDecrypt,
            ["KeyState"] = key.KeyState,
            ["Origin"] = "AWS_KMS",
            ["KeyManager"] = awsManaged ? "AWS" : "CUSTOMER",
            ["CustomerMasterKeySpec"] = SymmetricDefault,
            ["KeySpec"] = SymmetricDefault,
            ["EncryptionAlgorithms"] = new JsonArray(SymmetricDefault),
            ["MultiRegion"] = false,
        };
        if (key.KeyState == KmsKeyState.PendingDeletion && key.DeletionDate is { } deletion)
        {
            metadata["DeletionDate"] = deletion;
        }

        return metadata;
    }
}
