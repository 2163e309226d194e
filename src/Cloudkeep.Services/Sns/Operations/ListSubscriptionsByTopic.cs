using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

public sealed class ListSubscriptionsByTopic(SnsContext sns) : SnsOperation(sns)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topic = await TopicAsync(request, cancellationToken);
        var after = SnsPaging.After(request.Input.OptStr("NextToken"));
        var page = await Sns.Repository.SubscriptionsOfTopicAsync(topic.Arn, after, SnsPaging.PageSize + 1, cancellationToken);
        return new OperationResult(ListSubscriptions.Page(page));
    }
}
