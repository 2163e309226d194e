using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:ListAliases: the account's aliases in the region, or those of one key (KeyId), Limit (default 50) and Marker.</summary>
public sealed class ListAliases(KmsKeyStore store) : KmsOperation(store)
{
    public override string Operation => "ListAliases";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ForAccount(request));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? keyId = null;
        if (KmsInput.String(request.Input, "KeyId") is { } reference)
        {
            keyId = (await Store.ResolveAsync(request, reference, allowAlias: false, cancellationToken)).KeyId;
        }

        var limit = KmsPaging.Limit(request.Input, 50);
        var fetched = await Store.Repository.ListAliasesAsync(
            request.Caller.AccountId, request.Region, keyId, KmsPaging.After(request.Input), limit + 1, cancellationToken);
        var output = new JsonObject();
        var page = KmsPaging.Page(output, fetched, limit, a => a.AliasName);
        output["Aliases"] = new JsonArray([.. page.Select(a => (JsonNode)KmsAliases.Entry(a))]);
        return new OperationResult(output);
    }
}
