using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>
/// Unsubscribe: the UnsubscribeURL in every notification works unsigned unless the subscription
/// was confirmed with AuthenticateOnUnsubscribe=true; an HTTP/S endpoint is told with an
/// UnsubscribeConfirmation, as SNS does.
/// </summary>
public sealed class Unsubscribe(SnsContext sns) : SnsSubscriptionOperation(sns)
{
    protected override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, SnsSubscriptionRecord? subscription, string topicOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Caller.IsAnonymous)
        {
            var authenticated = subscription is not null && TopicAttributes.Read(subscription.Attributes).GetValueOrDefault("AuthenticateOnUnsubscribe") == "true";
            return new AuthorizationTarget("sns:" + Operation, ["*"])
            {
                RequiresNoPermission = true,
                AnonymousAllowed = true,
                Refusal = authenticated ? SnsErrors.AuthorizationError.ToException("Unsubscribing this subscription requires a signed request.") : null,
            };
        }

        return await base.DescribeAsync(request, subscription, topicOwner, cancellationToken);
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subscription = await SubscriptionAsync(request, cancellationToken);
        if (!await Sns.Repository.DeleteSubscriptionAsync(subscription.Arn, cancellationToken))
        {
            throw SnsErrors.NotFound.ToException("Subscription does not exist");
        }

        if (subscription.Confirmed && subscription.Protocol is "http" or "https"
            && await Sns.Repository.GetTopicAsync(subscription.TopicArn, cancellationToken) is { } topic)
        {
            var (token, _) = SnsSubscriptions.NewToken();
            await SnsSubscriptions.QueueConfirmationAsync(Sns, subscription, topic, SnsMessages.UnsubscribeConfirmation, token, cancellationToken);
        }

        return OperationResult.Empty;
    }
}
