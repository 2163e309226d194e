using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// The JSON documents SNS posts to HTTP/S endpoints and e-mails as email-json ("HTTP/HTTPS
/// notification JSON format", "subscription confirmation JSON format" in the SNS developer guide),
/// with their fields in SNS's order and the string each signature covers.
/// </summary>
public static class SnsMessages
{
    public const string Notification = "Notification";
    public const string SubscriptionConfirmation = "SubscriptionConfirmation";
    public const string UnsubscribeConfirmation = "UnsubscribeConfirmation";

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A signed notification of one published message.</summary>
    public static async Task<JsonObject> NotificationAsync(
        SnsContext sns, string topicArn, string subscriptionArn, PublishedMessage message, string signatureVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sns);
        ArgumentNullException.ThrowIfNull(message);
        var timestamp = Timestamp(message.At);
        var toSign = new StringBuilder()
            .Append("Message\n").Append(message.Body).Append('\n')
            .Append("MessageId\n").Append(message.MessageId).Append('\n');
        if (message.Subject is not null)
        {
            toSign.Append("Subject\n").Append(message.Subject).Append('\n');
        }

        toSign.Append("Timestamp\n").Append(timestamp).Append('\n')
            .Append("TopicArn\n").Append(topicArn).Append('\n')
            .Append("Type\n").Append(Notification).Append('\n');

        var document = new JsonObject { ["Type"] = Notification, ["MessageId"] = message.MessageId, ["TopicArn"] = topicArn };
        if (message.Subject is not null)
        {
            document["Subject"] = message.Subject;
        }

        document["Message"] = message.Body;
        document["Timestamp"] = timestamp;
        await AddSignatureAsync(sns, document, toSign.ToString(), signatureVersion, cancellationToken);
        document["UnsubscribeURL"] = sns.PublicBaseUrl + "/?Action=Unsubscribe&SubscriptionArn=" + Uri.EscapeDataString(subscriptionArn);
        if (message.Attributes.Count > 0)
        {
            var attributes = new JsonObject();
            foreach (var (name, attribute) in message.Attributes)
            {
                attributes[name] = new JsonObject { ["Type"] = attribute.DataType, ["Value"] = attribute.Value };
            }

            document["MessageAttributes"] = attributes;
        }

        return document;
    }

    /// <summary>The message asking an endpoint to confirm (or telling it of the end of) its subscription.</summary>
    public static async Task<JsonObject> ConfirmationAsync(
        SnsContext sns, string type, string topicArn, string token, string signatureVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sns);
        var messageId = Guid.NewGuid().ToString("D");
        var timestamp = Timestamp(sns.Time.GetUtcNow());
        var subscribeUrl = sns.PublicBaseUrl + "/?Action=ConfirmSubscription&TopicArn=" + Uri.EscapeDataString(topicArn) + "&Token=" + token;
        var text = type == SubscriptionConfirmation
            ? $"You have chosen to subscribe to the topic {topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message."
            : $"You have chosen to deactivate subscription to the topic {topicArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.";
        var toSign = $"Message\n{text}\nMessageId\n{messageId}\nSubscribeURL\n{subscribeUrl}\nTimestamp\n{timestamp}\nToken\n{token}\nTopicArn\n{topicArn}\nType\n{type}\n";
        var document = new JsonObject
        {
            ["Type"] = type,
            ["MessageId"] = messageId,
            ["Token"] = token,
            ["TopicArn"] = topicArn,
            ["Message"] = text,
            ["SubscribeURL"] = subscribeUrl,
            ["Timestamp"] = timestamp,
        };
        await AddSignatureAsync(sns, document, toSign, signatureVersion, cancellationToken);
        return document;
    }

    private static async Task AddSignatureAsync(SnsContext sns, JsonObject document, string toSign, string signatureVersion, CancellationToken cancellationToken)
    {
        document["SignatureVersion"] = signatureVersion;
        document["Signature"] = await sns.Signer.SignAsync(toSign, signatureVersion, cancellationToken);
        document["SigningCertURL"] = sns.PublicBaseUrl + "/_cloudkeep/sns/" + await sns.Signer.CertificateNameAsync(cancellationToken);
    }
}

/// <summary>One message as published: its id, subject, the body chosen for the protocol, and its attributes.</summary>
public sealed record PublishedMessage(string MessageId, string? Subject, string Body, IReadOnlyDictionary<string, MessageAttributeValue> Attributes, DateTimeOffset At);

/// <summary>A message attribute: its data type (String, String.Array, Number, Binary, each with an optional ".custom" suffix) and value as text (Binary as base64).</summary>
public sealed record MessageAttributeValue(string DataType, string Value);
