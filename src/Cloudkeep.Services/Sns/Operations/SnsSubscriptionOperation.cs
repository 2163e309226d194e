using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>
/// An operation on one subscription named by its ARN: SNS declares no resource for these actions
/// ("*"), and only the subscription's owner or the topic's owner may act on it.
/// </summary>
public abstract class SnsSubscriptionOperation(SnsContext sns) : SnsOperation(sns)
{
    protected override string? TopicMember => null;

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = request.Input.OptStr("SubscriptionArn");
        var topicArn = SnsArns.TopicOfSubscription(arn);
        var subscription = topicArn is null ? null : await Sns.Repository.GetSubscriptionAsync(arn!, cancellationToken);
        var target = await DescribeAsync(request, subscription, SnsArns.AccountOf(topicArn) ?? request.Caller.AccountId, cancellationToken);
        if (subscription is not null)
        {
            request.Facts.Set(subscription);
        }

        return target;
    }

    protected virtual ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, SnsSubscriptionRecord? subscription, string topicOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var owner = request.Caller.AccountId;
        return ValueTask.FromResult(new AuthorizationTarget("sns:" + Operation, ["*"])
        {
            Refusal = subscription is not null && subscription.Owner != owner && topicOwner != owner
                ? SnsErrors.AuthorizationError.ToException("User: " + request.Caller.Arn + " is not authorized to access this subscription")
                : null,
        });
    }

    protected async Task<SnsSubscriptionRecord> SubscriptionAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = request.Input.OptStr("SubscriptionArn");
        if (SnsArns.TopicOfSubscription(arn) is null)
        {
            throw SnsErrors.Invalid("SubscriptionId");
        }

        return request.Facts.Find<SnsSubscriptionRecord>()
            ?? await Sns.Repository.GetSubscriptionAsync(arn!, cancellationToken)
            ?? throw SnsErrors.NotFound.ToException("Subscription does not exist");
    }
}
