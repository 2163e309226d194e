using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>SetSubscriptionAttributes: one attribute; an empty FilterPolicy removes the filter.</summary>
public sealed class SetSubscriptionAttributes(SnsContext sns) : SnsSubscriptionOperation(sns)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subscription = await SubscriptionAsync(request, cancellationToken);
        var name = request.Input.Str("AttributeName");
        var value = request.Input.OptStr("AttributeValue") ?? "";
        var attributes = TopicAttributes.Read(subscription.Attributes);
        if (value.Length == 0 && name is "FilterPolicy" or "DeliveryPolicy" or "RedrivePolicy")
        {
            attributes.Remove(name);
        }
        else
        {
            var after = new Dictionary<string, string>(attributes, StringComparer.Ordinal) { [name] = value };
            SubscriptionAttributes.Check(name, value, after, subscription.Protocol);
            attributes = after;
        }

        if (!await Sns.Repository.UpdateSubscriptionAsync(subscription with { Attributes = TopicAttributes.Write(attributes) }, cancellationToken))
        {
            throw SnsErrors.NotFound.ToException("Subscription does not exist");
        }

        return Core.Operations.OperationResult.Empty;
    }
}
