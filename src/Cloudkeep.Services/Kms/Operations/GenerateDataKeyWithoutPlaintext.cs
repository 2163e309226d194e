using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:GenerateDataKeyWithoutPlaintext: a random data key, returned only encrypted under the KMS key (KeySpec AES_256/AES_128 or NumberOfBytes 1-1024).</summary>
public sealed class GenerateDataKeyWithoutPlaintext(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "GenerateDataKeyWithoutPlaintext";

    protected override bool AcceptsAlias => true;

    protected override string? EncryptionContextMember => "EncryptionContext";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var length = KmsDataKeys.Length(input);
        KmsKeyStore.EnsureUsable(key);
        KmsDataKeys.ThrowIfDryRun(input);
        var dataKey = RandomNumberGenerator.GetBytes(length);
        var blob = await Store.EncryptAsync(key, dataKey, KmsInput.Map(input, "EncryptionContext"), cancellationToken);
        return new OperationResult(new JsonObject
        {
            ["CiphertextBlob"] = JsonValue.Create(blob),
            ["KeyId"] = KmsKeyStore.KeyArn(key),
        });
    }
}
