using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

public sealed class GetSubscriptionAttributes(SnsContext sns) : SnsSubscriptionOperation(sns)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subscription = await SubscriptionAsync(request, cancellationToken);
        return new OperationResult(new JsonObject { ["Attributes"] = SubscriptionAttributes.Describe(subscription, SnsArns.AccountOf(subscription.TopicArn) ?? subscription.Owner) });
    }
}
