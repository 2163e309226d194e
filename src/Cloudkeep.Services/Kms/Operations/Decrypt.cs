using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>
/// kms:Decrypt. The key comes from the ciphertext blob itself; a KeyId, when given, must name that
/// key (IncorrectKeyException). A wrong encryption context or a changed blob is InvalidCiphertextException.
/// </summary>
public sealed class Decrypt(KmsKeyStore store) : KmsOperation(store)
{
    public override string Operation => "Decrypt";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = await Store.KeyOfCiphertextAsync(request, Blob(request), cancellationToken);
        return ForKey(request, key, KmsInput.Map(request.Input, "EncryptionContext"));
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        if (input.ContainsKey("Recipient"))
        {
            throw KmsErrors.UnsupportedOperation.ToException("Recipient (Nitro Enclaves attestation) is not supported by Cloudkeep.");
        }

        KmsKeyStore.EnsureSymmetricAlgorithm(KmsInput.String(input, "EncryptionAlgorithm"));
        var (key, plaintext) = await Store.DecryptAsync(
            request, Blob(request), KmsInput.Map(input, "EncryptionContext"), KmsInput.String(input, "KeyId"), cancellationToken);
        KmsDataKeys.ThrowIfDryRun(input);
        return new OperationResult(new JsonObject
        {
            ["KeyId"] = KmsKeyStore.KeyArn(key),
            ["Plaintext"] = JsonValue.Create(plaintext),
            ["EncryptionAlgorithm"] = KmsKeyMetadata.SymmetricDefault,
        });
    }

    private static byte[] Blob(OperationRequest request) =>
        KmsInput.RequiredBlob(request.Input, "CiphertextBlob", 1, 6144);
}
