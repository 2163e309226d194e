using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:GetKeyRotationStatus.</summary>
public sealed class GetKeyRotationStatus(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "GetKeyRotationStatus";

    protected override ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var output = new JsonObject
        {
            ["KeyRotationEnabled"] = key.RotationEnabled,
            ["KeyId"] = KmsKeyStore.KeyArn(key),
        };
        if (key.RotationEnabled)
        {
            output["RotationPeriodInDays"] = key.RotationPeriodDays ?? KmsKeyStore.DefaultRotationPeriodDays;
            if (key.NextRotationAt is { } next)
            {
                output["NextRotationDate"] = next;
            }
        }

        return ValueTask.FromResult(new OperationResult(output));
    }
}
