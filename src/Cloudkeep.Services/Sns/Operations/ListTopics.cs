using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>ListTopics: the caller's topics in the request's region, 100 a page.</summary>
public sealed class ListTopics(SnsContext sns) : SnsOperation(sns)
{
    protected override string? TopicMember => null;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var after = SnsPaging.After(request.Input.OptStr("NextToken"));
        var page = await Sns.Repository.ListTopicsAsync(request.Caller.AccountId, request.Region, after, SnsPaging.PageSize + 1, cancellationToken);
        var output = new JsonObject { ["Topics"] = new JsonArray([.. page.Take(SnsPaging.PageSize).Select(t => (JsonNode)new JsonObject { ["TopicArn"] = t.Arn })]) };
        if (page.Count > SnsPaging.PageSize)
        {
            output["NextToken"] = SnsPaging.Token(page[SnsPaging.PageSize - 1].Arn);
        }

        return new OperationResult(output);
    }
}
