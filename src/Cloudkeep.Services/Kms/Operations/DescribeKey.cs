using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:DescribeKey, by key id, key ARN, alias name or alias ARN.</summary>
public sealed class DescribeKey(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "DescribeKey";

    protected override bool AcceptsAlias => true;

    protected override bool CreatesAwsManagedKeys => true;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken) =>
        new(new JsonObject { ["KeyMetadata"] = KmsKeyMetadata.Build(key, await Store.IsAwsManagedAsync(key, cancellationToken)) });
}
