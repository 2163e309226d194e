using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>
/// ConfirmSubscription: the token sent to the endpoint is the proof, so the SubscribeURL works
/// unsigned (as SNS's does); a signed call is also judged as sns:ConfirmSubscription on the topic.
/// AuthenticateOnUnsubscribe=true then makes Unsubscribe need a signed call by an owner.
/// </summary>
public sealed class ConfirmSubscription(SnsContext sns) : SnsOperation(sns)
{
    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Caller.IsAnonymous)
        {
            return new AuthorizationTarget("sns:" + Operation, [request.Input.OptStr("TopicArn") is { Length: > 0 } arn ? arn : "*"]) { RequiresNoPermission = true, AnonymousAllowed = true };
        }

        return await base.DescribeAsync(request, cancellationToken);
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topic = await TopicAsync(request, cancellationToken);
        var token = request.Input.Str("Token");
        var subscription = await Sns.Repository.FindByTokenAsync(topic.Arn, SnsSubscriptions.HashToken(token), cancellationToken);
        if (subscription is null || subscription.TokenExpiresAt is not { } expires || expires <= Sns.Time.GetUtcNow())
        {
            throw SnsErrors.Invalid("Token");
        }

        var attributes = TopicAttributes.Read(subscription.Attributes);
        if (request.Input.OptStr("AuthenticateOnUnsubscribe") is { } authenticate)
        {
            if (authenticate is not ("true" or "false"))
            {
                throw SnsErrors.Invalid("AuthenticateOnUnsubscribe");
            }

            if (authenticate == "true" && request.Caller.IsAnonymous)
            {
                throw SnsErrors.Invalid("AuthenticateOnUnsubscribe: an unsigned confirmation cannot ask for authenticated unsubscribes");
            }

            attributes["AuthenticateOnUnsubscribe"] = authenticate;
        }

        attributes["ConfirmationWasAuthenticated"] = request.Caller.IsAnonymous ? "false" : "true";
        await Sns.Repository.UpdateSubscriptionAsync(subscription with { Confirmed = true, Attributes = TopicAttributes.Write(attributes) }, cancellationToken);
        return new OperationResult(new JsonObject { ["SubscriptionArn"] = subscription.Arn });
    }
}
