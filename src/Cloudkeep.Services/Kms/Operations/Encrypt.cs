using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:Encrypt: up to 4096 bytes (the model's limit) under the key's current material, the encryption context authenticated.</summary>
public sealed class Encrypt(KmsKeyStore store) : KmsKeyOperation(store)
{
    public const int MaxPlaintextBytes = 4096;

    public override string Operation => "Encrypt";

    protected override bool AcceptsAlias => true;

    protected override string? EncryptionContextMember => "EncryptionContext";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var input = request.Input;
        KmsKeyStore.EnsureSymmetricAlgorithm(KmsInput.String(input, "EncryptionAlgorithm"));
        var plaintext = KmsInput.RequiredBlob(input, "Plaintext", 1, MaxPlaintextBytes);
        KmsKeyStore.EnsureUsable(key);
        KmsDataKeys.ThrowIfDryRun(input);
        var blob = await Store.EncryptAsync(key, plaintext, KmsInput.Map(input, "EncryptionContext"), cancellationToken);
        return new OperationResult(new JsonObject
        {
            ["CiphertextBlob"] = JsonValue.Create(blob),
            ["KeyId"] = KmsKeyStore.KeyArn(key),
            ["EncryptionAlgorithm"] = KmsKeyMetadata.SymmetricDefault,
        });
    }
}
