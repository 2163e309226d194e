using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListAccessKeys(IamContext iam) : AccessKeyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var (account, userName) = await OwnerAsync(request, cancellationToken);
        var keys = await Iam.AccessKeys.ListForOwnerAsync(account, userName, cancellationToken);
        var (page, truncated, marker) = Paging.Page(keys, k => k.AccessKeyId, request.Input);
        return new OperationResult(Paging.Result("AccessKeyMetadata", page.Select(k => (JsonNode)new JsonObject
        {
            ["UserName"] = k.UserName ?? account,
            ["AccessKeyId"] = k.AccessKeyId,
            ["Status"] = k.Status,
            ["CreateDate"] = JsonValue.Create(k.CreatedAt),
        }), truncated, marker));
    }
}
