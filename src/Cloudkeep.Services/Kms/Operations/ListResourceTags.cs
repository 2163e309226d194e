using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:ListResourceTags, ordered by tag key, Limit (default 50) and Marker.</summary>
public sealed class ListResourceTags(KmsKeyStore store) : KmsKeyOperation(store)
{
    public override string Operation => "ListResourceTags";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var after = KmsPaging.After(request.Input);
        var tags = await Store.Repository.GetTagsAsync(key.KeyId, cancellationToken);
        var remaining = after is null ? tags : [.. tags.Where(t => string.CompareOrdinal(t.Key, after) > 0)];
        var output = new JsonObject();
        var page = KmsPaging.Page(output, remaining, KmsPaging.Limit(request.Input, 50), t => t.Key);
        output["Tags"] = new JsonArray([.. page.Select(t => (JsonNode)new JsonObject { ["TagKey"] = t.Key, ["TagValue"] = t.Value })]);
        return new OperationResult(output);
    }
}
