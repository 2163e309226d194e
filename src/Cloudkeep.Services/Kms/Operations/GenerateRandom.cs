using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:GenerateRandom: 1-1024 bytes from the CSPRNG.</summary>
public sealed class GenerateRandom(KmsKeyStore store) : KmsOperation(store)
{
    public override string Operation => "GenerateRandom";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ForAccount(request));

    public override ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        if (input.ContainsKey("Recipient") || input.ContainsKey("CustomKeyStoreId"))
        {
            throw KmsErrors.UnsupportedOperation.ToException("Recipient and CustomKeyStoreId are not supported by Cloudkeep.");
        }

        var count = KmsInput.Integer(input, "NumberOfBytes")
            ?? throw KmsErrors.Validation.ToException("1 validation error detected: Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null");
        var bytes = RandomNumberGenerator.GetBytes(KmsDataKeys.NumberOfBytes(count));
        return ValueTask.FromResult(new OperationResult(new JsonObject { ["Plaintext"] = JsonValue.Create(bytes) }));
    }
}
