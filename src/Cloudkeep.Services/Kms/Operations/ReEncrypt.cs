using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>
/// kms:ReEncrypt: decrypts with the blob's key (SourceKeyId, when given, must name it) and encrypts
/// under DestinationKeyId, without the plaintext leaving the server. Authorized as
/// kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key, each under its
/// own key policy, as AWS does.
/// </summary>
public sealed class ReEncrypt(KmsKeyStore store) : KmsOperation(store)
{
    public override string Operation => "ReEncrypt";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = await Store.KeyOfCiphertextAsync(request, Blob(request), cancellationToken);
        var destination = await Store.ResolveAsync(request, KmsInput.RequiredString(request.Input, "DestinationKeyId"), allowAlias: true, cancellationToken);
        return ForKey(request, source, KmsInput.Map(request.Input, "SourceEncryptionContext"), "kms:ReEncryptFrom") with
        {
            // AWS authorizes ReEncrypt twice: ReEncryptFrom on the source key, ReEncryptTo on the destination.
            AlsoRequired = [ForKey(request, destination, KmsInput.Map(request.Input, "DestinationEncryptionContext"), "kms:ReEncryptTo")],
        };
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        KmsKeyStore.EnsureSymmetricAlgorithm(KmsInput.String(input, "SourceEncryptionAlgorithm"));
        KmsKeyStore.EnsureSymmetricAlgorithm(KmsInput.String(input, "DestinationEncryptionAlgorithm"));
        var destination = await Store.ResolveAsync(request, KmsInput.RequiredString(input, "DestinationKeyId"), allowAlias: true, cancellationToken);
        var (source, plaintext) = await Store.DecryptAsync(
            request, Blob(request), KmsInput.Map(input, "SourceEncryptionContext"), KmsInput.String(input, "SourceKeyId"), cancellationToken);
        try
        {
            KmsKeyStore.EnsureUsable(destination);
            KmsDataKeys.ThrowIfDryRun(input);
            var blob = await Store.EncryptAsync(destination, plaintext, KmsInput.Map(input, "DestinationEncryptionContext"), cancellationToken);
            return new OperationResult(new JsonObject
            {
                ["CiphertextBlob"] = JsonValue.Create(blob),
                ["SourceKeyId"] = KmsKeyStore.KeyArn(source),
                ["KeyId"] = KmsKeyStore.KeyArn(destination),
                ["SourceEncryptionAlgorithm"] = KmsKeyMetadata.SymmetricDefault,
                ["DestinationEncryptionAlgorithm"] = KmsKeyMetadata.SymmetricDefault,
            });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] Blob(OperationRequest request) =>
        KmsInput.RequiredBlob(request.Input, "CiphertextBlob", 1, 6144);
}
