using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>Publish to a topic (TopicArn, or the topic's ARN as TargetArn); phone numbers and mobile endpoints are not served.</summary>
public sealed class Publish(SnsContext sns) : SnsOperation(sns)
{
    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (arn, topic) = await DescribeTopicAsync(request, request.Input.OptStr("TopicArn") ?? request.Input.OptStr("TargetArn"), cancellationToken);
        return ForTopic(request, arn, topic);
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Input.OptStr("PhoneNumber") is not null)
        {
            throw CommonErrors.NotImplemented.ToException("Cloudkeep does not send SMS messages.");
        }

        var arn = request.Input.OptStr("TopicArn") ?? request.Input.OptStr("TargetArn")
            ?? throw SnsErrors.Invalid("TopicArn or TargetArn Reason: no value for required parameter");
        if (request.Input.OptStr("TopicArn") is not null && request.Input.OptStr("TargetArn") is not null)
        {
            throw SnsErrors.Invalid("TopicArn or TargetArn Reason: Only one of TopicArn or TargetArn may be specified");
        }

        TopicArnOf(request, arn);
        var topic = request.Facts.Find<Storage.Metadata.SnsTopicRecord>() ?? throw SnsErrors.NotFound.ToException();
        var draft = SnsPublishing.ReadDraft(request.Input);
        SnsPublishing.Check(draft);
        var messageId = await SnsPublishing.PublishAsync(Sns, topic, draft, cancellationToken);
        return new OperationResult(new JsonObject { ["MessageId"] = messageId });
    }
}
