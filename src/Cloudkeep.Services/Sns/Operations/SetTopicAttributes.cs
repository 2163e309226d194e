using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>SetTopicAttributes: one attribute at a time; an empty value removes it (the topic then reports SNS's default).</summary>
public sealed class SetTopicAttributes(SnsContext sns) : SnsOperation(sns)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topic = await TopicAsync(request, cancellationToken);
        var name = request.Input.Str("AttributeName");
        var value = request.Input.OptStr("AttributeValue") ?? "";
        var attributes = TopicAttributes.Read(topic.Attributes);
        if (value.Length == 0 && name is "Policy" or "DeliveryPolicy" or "DisplayName" or "KmsMasterKeyId")
        {
            attributes.Remove(name);
        }
        else
        {
            TopicAttributes.Check(name, value, topic.Arn);
            attributes[name] = value;
        }

        if (!await Sns.Repository.UpdateTopicAsync(topic.Arn, TopicAttributes.Write(attributes), topic.Tags, cancellationToken))
        {
            throw SnsErrors.NotFound.ToException();
        }

        return OperationResult.Empty;
    }
}
