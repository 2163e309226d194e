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
        // Aliases of a key whose deletion window has ended go with it (the key's rows are removed here).
        var live = new List<Storage.Metadata.KmsAliasRecord>(fetched.Count);
        foreach (var alias in fetched)
        {
            if (await Store.Repository.GetKeyAsync(alias.KeyId, cancellationToken) is { } key && Store.IsDeleted(key))
            {
                await Store.Repository.DeleteKeyAsync(key.KeyId, cancellationToken);
            }
            else
            {
                live.Add(alias);
            }
        }

        var output = new JsonObject();
        var page = KmsPaging.Page(output, live, limit, a => a.AliasName);
        output["Aliases"] = new JsonArray([.. page.Select(a => (JsonNode)KmsAliases.Entry(a))]);
        return new OperationResult(output);
    }
}
