using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>
/// kms:GenerateDataKey and kms:GenerateDataKeyWithoutPlaintext: a random data key encrypted under
/// the KMS key (KeySpec AES_256/AES_128 or NumberOfBytes 1-1024), returned also in the clear by the
/// first. The two differ only in that, so one class serves both.
/// </summary>
public sealed class GenerateDataKey(KmsKeyStore store, bool withPlaintext = true) : KmsKeyOperation(store)
{
    public override string Operation => withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";

    protected override bool AcceptsAlias => true;

    protected override string? EncryptionContextMember => "EncryptionContext";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var input = request.Input;
        if (withPlaintext && input.ContainsKey("Recipient"))
        {
            throw KmsErrors.UnsupportedOperation.ToException("Recipient (Nitro Enclaves attestation) is not supported by Cloudkeep.");
        }

        var length = KmsDataKeys.Length(input);
        KmsKeyStore.EnsureUsable(key);
        KmsDataKeys.ThrowIfDryRun(input);
        var dataKey = RandomNumberGenerator.GetBytes(length);
        var blob = await Store.EncryptAsync(key, dataKey, KmsInput.Map(input, "EncryptionContext"), cancellationToken);
        var output = new JsonObject
        {
            ["CiphertextBlob"] = JsonValue.Create(blob),
            ["KeyId"] = KmsKeyStore.KeyArn(key),
        };
        if (withPlaintext)
        {
            output["Plaintext"] = JsonValue.Create(dataKey);
        }

        return new OperationResult(output);
    }
}
