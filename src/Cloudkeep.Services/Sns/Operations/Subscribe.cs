using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>
/// Subscribe: an HTTP/S or e-mail endpoint starts pending and is sent a SubscriptionConfirmation
/// carrying a token; ConfirmSubscription with that token makes it confirmed. Subscribing the same
/// endpoint again answers the existing subscription (and sends a pending one its confirmation again).
/// </summary>
public sealed class Subscribe(SnsContext sns) : SnsOperation(sns)
{
    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (arn, topic) = await DescribeTopicAsync(request, request.Input.OptStr("TopicArn"), cancellationToken);
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["sns:Protocol"] = [request.Input.OptStr("Protocol") ?? ""] };
        if (request.Input.OptStr("Endpoint") is { } endpoint)
        {
            keys["sns:Endpoint"] = [endpoint];
        }

        return ForTopic(request, arn, topic, keys);
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topic = await TopicAsync(request, cancellationToken);
        var protocol = request.Input.Str("Protocol");
        var endpoint = request.Input.OptStr("Endpoint");
        SnsSubscriptions.CheckEndpoint(protocol, endpoint);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var asked = request.Input.OptObject("Attributes") ?? [];
        foreach (var (key, value) in asked)
        {
            attributes[key] = (string?)value ?? "";
        }

        foreach (var (key, value) in attributes)
        {
            SubscriptionAttributes.Check(key, value, attributes, protocol);
        }

        var returnArn = request.Input.OptBool("ReturnSubscriptionArn") == true;
        var existing = await Sns.Repository.FindSubscriptionAsync(topic.Arn, protocol, endpoint!, cancellationToken);
        if (existing is not null)
        {
            if (!existing.Confirmed)
            {
                var (again, againHash) = SnsSubscriptions.NewToken();
                existing = existing with { TokenHash = againHash, TokenExpiresAt = Sns.Time.GetUtcNow() + SnsSubscriptions.TokenLifetime };
                await Sns.Repository.UpdateSubscriptionAsync(existing, cancellationToken);
                await SnsSubscriptions.QueueConfirmationAsync(Sns, existing, topic, SnsMessages.SubscriptionConfirmation, again, cancellationToken);
            }

            return Answer(existing.Confirmed || returnArn ? existing.Arn : SnsSubscriptions.PendingArn);
        }

        var (token, hash) = SnsSubscriptions.NewToken();
        var now = Sns.Time.GetUtcNow();
        attributes["SubscriptionPrincipal"] = request.Caller.Arn;
        var subscription = new SnsSubscriptionRecord(
            SnsArns.Subscription(topic.Arn), topic.Arn, request.Caller.AccountId, topic.Region, protocol, endpoint!,
            TopicAttributes.Write(attributes), false, hash, now + SnsSubscriptions.TokenLifetime, now);
        await Sns.Repository.InsertSubscriptionAsync(subscription, cancellationToken);
        await SnsSubscriptions.QueueConfirmationAsync(Sns, subscription, topic, SnsMessages.SubscriptionConfirmation, token, cancellationToken);
        return Answer(returnArn ? subscription.Arn : SnsSubscriptions.PendingArn);
    }

    private static OperationResult Answer(string arn) => new(new JsonObject { ["SubscriptionArn"] = arn });
}
