using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>DeleteTopic: the topic, its subscriptions and what was still owed to them; a topic that does not exist is no error (SNS's answer too).</summary>
public sealed class DeleteTopic(SnsContext sns) : SnsOperation(sns)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await Sns.Repository.DeleteTopicAsync(TopicArnOf(request, request.Input.OptStr("TopicArn")), cancellationToken);
        return OperationResult.Empty;
    }
}
