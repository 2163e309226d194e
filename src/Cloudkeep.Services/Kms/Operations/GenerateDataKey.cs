using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:GenerateDataKey: a random data key, returned in the clear and encrypted under the KMS key (KeySpec AES_256/AES_128 or NumberOfBytes 1-1024).</summary>
public sealed class GenerateDataKey(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "GenerateDataKey";

    protected override bool AcceptsAlias => true;

    protected override string? EncryptionContextMember => "EncryptionContext";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var input = request.Input;
        if (input.ContainsKey("Recipient"))
        {
            throw KmsErrors.UnsupportedOperation.ToException("Recipient (Nitro Enclaves attestation) is not supported by Cloudkeep.");
        }

        var length = KmsDataKeys.Length(input);
        KmsKeyStore.EnsureUsable(key);
        KmsDataKeys.ThrowIfDryRun(input);
        var dataKey = RandomNumberGenerator.GetBytes(length);
        var blob = await Store.EncryptAsync(key, dataKey, KmsInput.Map(input, "EncryptionContext"), cancellationToken);
        return new OperationResult(new JsonObject
        {
            ["CiphertextBlob"] = JsonValue.Create(blob),
            ["Plaintext"] = JsonValue.Create(dataKey),
            ["KeyId"] = KmsKeyStore.KeyArn(key),
        });
    }
}
