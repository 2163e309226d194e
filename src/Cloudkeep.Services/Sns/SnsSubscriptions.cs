using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>Subscribing: protocols and endpoints as SNS checks them, confirmation tokens, and the confirmation messages.</summary>
public static class SnsSubscriptions
{
    /// <summary>Pending subscriptions answer this in place of an ARN (Subscribe: "pending confirmation"; the lists: "PendingConfirmation").</summary>
    public const string PendingArn = "pending confirmation";

    public const string PendingListed = "PendingConfirmation";

    /// <summary>How long a confirmation token may be used ("Confirmation tokens are valid for three days", the Subscribe API reference).</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(3);

    public static void CheckEndpoint(string protocol, string? endpoint)
    {
        switch (protocol)
        {
            case "http" or "https":
                if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != protocol || uri.Host.Length == 0)
                {
                    throw SnsErrors.Invalid("Endpoint must match the specified protocol");
                }

                break;
            case "email" or "email-json":
                if (endpoint is null || endpoint.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(endpoint, out var address) || address.Address != endpoint)
                {
                    throw SnsErrors.Invalid("Email address");
                }

                break;
            case "sqs" or "lambda" or "firehose" or "application" or "sms":
                throw Core.Errors.CommonErrors.NotImplemented.ToException($"Cloudkeep does not deliver to {protocol} endpoints; it delivers over http, https, email and email-json.");
            default:
                throw SnsErrors.Invalid("Amazon SNS does not support this protocol string: " + protocol);
        }
    }

    /// <summary>A new confirmation token (SNS's are long hex strings) and its SHA-256, which is all that is stored.</summary>
    public static (string Token, string Hash) NewToken()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(64));
        return (token, HashToken(token));
    }

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Queues a SubscriptionConfirmation or UnsubscribeConfirmation for the subscription's endpoint.</summary>
    public static async Task QueueConfirmationAsync(SnsContext sns, SnsSubscriptionRecord subscription, SnsTopicRecord topic, string type, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sns);
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(topic);
        var document = await SnsMessages.ConfirmationAsync(sns, type, topic.Arn, token, TopicAttributes.SignatureVersion(topic), cancellationToken);
        var policy = DeliveryPolicy.Default;
        var delivery = new SnsDelivery(
            subscription.Protocol, subscription.Endpoint, subscription.Arn, topic.Arn, type, (string)document["MessageId"]!, false,
            document.ToJsonString(), null, policy.NumRetries, policy.MinDelaySeconds, policy.MaxDelaySeconds);
        var now = sns.Time.GetUtcNow();
        await sns.Repository.EnqueueAsync([new SnsDeliveryRecord(Guid.NewGuid().ToString("N"), subscription.Arn, delivery.ToJson(), 0, now, now)], cancellationToken);
        sns.DeliveryQueued();
    }
}
