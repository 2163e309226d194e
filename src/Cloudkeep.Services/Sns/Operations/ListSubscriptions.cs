using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>ListSubscriptions: the caller's subscriptions in the request's region, 100 a page; pending ones show "PendingConfirmation" for their ARN.</summary>
public sealed class ListSubscriptions(SnsContext sns) : SnsOperation(sns)
{
    protected override string? TopicMember => null;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var after = SnsPaging.After(request.Input.OptStr("NextToken"));
        var page = await Sns.Repository.ListSubscriptionsAsync(request.Caller.AccountId, request.Region, after, SnsPaging.PageSize + 1, cancellationToken);
        return new OperationResult(Page(page));
    }

    internal static JsonObject Page(IReadOnlyList<SnsSubscriptionRecord> page)
    {
        var output = new JsonObject
        {
            ["Subscriptions"] = new JsonArray([.. page.Take(SnsPaging.PageSize).Select(s => (JsonNode)new JsonObject
            {
                ["SubscriptionArn"] = s.Confirmed ? s.Arn : SnsSubscriptions.PendingListed,
                ["Owner"] = s.Owner,
                ["Protocol"] = s.Protocol,
                ["Endpoint"] = s.Endpoint,
                ["TopicArn"] = s.TopicArn,
            })]),
        };
        if (page.Count > SnsPaging.PageSize)
        {
            output["NextToken"] = SnsPaging.Token(page[SnsPaging.PageSize - 1].Arn);
        }

        return output;
    }
}
