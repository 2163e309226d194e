using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:ListKeys: the caller's keys in the request's region, Limit (default 100) and Marker.</summary>
public sealed class ListKeys(KmsKeyStore store) : KmsOperation(store)
{
    public override string Operation => "ListKeys";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ForAccount(request));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = KmsPaging.Limit(request.Input, 100);
        var after = KmsPaging.After(request.Input);
        var fetched = await Store.Repository.ListKeysAsync(request.Caller.AccountId, request.Region, after, limit + 1, cancellationToken);

        // Keys whose deletion window has ended are removed here, on the way.
        var live = new List<Storage.Metadata.KmsKeyRecord>(fetched.Count);
        foreach (var key in fetched)
        {
            if (Store.IsDeleted(key))
            {
                await Store.Repository.DeleteKeyAsync(key.KeyId, cancellationToken);
            }
            else
            {
                live.Add(key);
            }
        }

        var output = new JsonObject();
        var page = KmsPaging.Page(output, live, limit, k => k.KeyId);
        output["Keys"] = new JsonArray([.. page.Select(k => (JsonNode)new JsonObject { ["KeyId"] = k.KeyId, ["KeyArn"] = KmsKeyStore.KeyArn(k) })]);
        return new OperationResult(output);
    }
}
