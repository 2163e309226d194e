using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

public sealed class GetTopicAttributes(SnsContext sns) : SnsOperation(sns)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topic = await TopicAsync(request, cancellationToken);
        var counts = await SnsCounts.OfTopicAsync(Sns, topic.Arn, cancellationToken);
        return new OperationResult(new JsonObject { ["Attributes"] = TopicAttributes.Describe(topic, counts) });
    }
}
