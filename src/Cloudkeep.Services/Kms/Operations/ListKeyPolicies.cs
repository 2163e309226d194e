using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:ListKeyPolicies: always the one name "default".</summary>
public sealed class ListKeyPolicies(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "ListKeyPolicies";

    protected override ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var output = new JsonObject();
        var names = KmsPaging.After(request.Input) is { } after
            ? [.. new[] { KmsKeyPolicies.DefaultPolicyName }.Where(n => string.CompareOrdinal(n, after) > 0)]
            : new[] { KmsKeyPolicies.DefaultPolicyName };
        var page = KmsPaging.Page(output, names, KmsPaging.Limit(request.Input, 100), n => n);
        output["PolicyNames"] = new JsonArray([.. page.Select(n => (JsonNode)n)]);
        return ValueTask.FromResult(new OperationResult(output));
    }
}
