using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// Publishing: a message checked as SNS checks it, then one delivery queued per confirmed
/// subscription whose filter policy it passes, all in one transaction before the publish is
/// answered (so an acknowledged message is never lost, even by a restart).
/// </summary>
public static class SnsPublishing
{
    /// <summary>SNS's message size limit, the body and its attributes together (256 KiB).</summary>
    public const int MaxMessageBytes = 262_144;

    private const int PageSize = 500;

    /// <summary>One message as a caller sent it: Message, Subject, MessageStructure, MessageAttributes of Publish or a batch entry.</summary>
    public sealed record Draft(string Message, string? Subject, string? MessageStructure, IReadOnlyDictionary<string, MessageAttributeValue> Attributes, string? GroupId, string? DeduplicationId);

    public static Draft ReadDraft(JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var attributes = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal);
        if (input["MessageAttributes"] is JsonObject map)
        {
            foreach (var (name, node) in map)
            {
                if (node is not JsonObject value)
                {
                    continue;
                }

                var type = (string?)value["DataType"] ?? "";
                var text = type.StartsWith("Binary", StringComparison.Ordinal)
                    ? value["BinaryValue"] is JsonValue b && b.TryGetValue<byte[]>(out var bytes) ? Convert.ToBase64String(bytes) : null
                    : (string?)value["StringValue"];
                attributes[name] = CheckAttribute(name, type, text);
            }
        }

        return new Draft(
            (string?)input["Message"] ?? "",
            (string?)input["Subject"],
            (string?)input["MessageStructure"],
            attributes,
            (string?)input["MessageGroupId"],
            (string?)input["MessageDeduplicationId"]);
    }

    /// <summary>Checks a message for a standard topic; the InvalidParameter SNS answers otherwise.</summary>
    public static void Check(Draft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Message.Length == 0)
        {
            throw SnsErrors.Invalid("Empty message");
        }

        var size = Encoding.UTF8.GetByteCount(draft.Message)
            + draft.Attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value.DataType) + Encoding.UTF8.GetByteCount(a.Value.Value));
        if (size > MaxMessageBytes)
        {
            throw SnsErrors.Invalid("Message too long");
        }

        if (draft.Subject is { } subject
            && (subject.Length == 0 || subject.Length > 100 || !subject.All(c => c is >= ' ' and <= '~') || char.IsWhiteSpace(subject[0])))
        {
            throw SnsErrors.Invalid("Subject");
        }

        if (draft.Attributes.Count > 10)
        {
            throw SnsErrors.Invalid("Message attributes: Number of message attributes [" + draft.Attributes.Count.ToString(CultureInfo.InvariantCulture) + "] exceeds the allowed maximum [10].");
        }

        if (draft.GroupId is not null)
        {
            throw SnsErrors.Invalid("The request includes MessageGroupId parameter that is not valid for this topic type");
        }

        if (draft.DeduplicationId is not null)
        {
            throw SnsErrors.Invalid("The request includes MessageDeduplicationId parameter that is not valid for this topic type");
        }

        switch (draft.MessageStructure)
        {
            case null:
                break;
            case "json":
                JsonNode? parsed;
                try
                {
                    parsed = JsonNode.Parse(draft.Message);
                }
                catch (JsonException)
                {
                    throw SnsErrors.Invalid("Message Structure - JSON message body failed to parse");
                }

                if (parsed is not JsonObject structure || structure["default"] is not JsonValue d || d.GetValueKind() != JsonValueKind.String)
                {
                    throw SnsErrors.Invalid("Message Structure - No default entry in JSON message body");
                }

                break;
            default:
                throw SnsErrors.Invalid("MessageStructure");
        }
    }

    /// <summary>Queues the message for every confirmed subscription of the topic that accepts it; returns its MessageId.</summary>
    public static async Task<string> PublishAsync(SnsContext sns, SnsTopicRecord topic, Draft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sns);
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(draft);
        var messageId = Guid.NewGuid().ToString("D");
        var now = sns.Time.GetUtcNow();
        var structure = draft.MessageStructure == "json" ? (JsonObject)JsonNode.Parse(draft.Message)! : null;
        var signatureVersion = TopicAttributes.SignatureVersion(topic);
        var topicDelivery = TopicAttributes.Read(topic.Attributes).GetValueOrDefault("DeliveryPolicy");
        var deliveries = new List<SnsDeliveryRecord>();
        var after = "";
        while (true)
        {
            var page = await sns.Repository.SubscriptionsOfTopicAsync(topic.Arn, after, PageSize, cancellationToken);
            foreach (var subscription in page.Where(s => s.Confirmed))
            {
                var body = structure is not null && (string?)structure[subscription.Protocol] is { } specific ? specific : structure is not null ? (string)structure["default"]! : draft.Message;
                var attributes = TopicAttributes.Read(subscription.Attributes);
                if (attributes.GetValueOrDefault("FilterPolicy") is { Length: > 0 } filter
                    && !FilterPolicy.Parse(filter, attributes.GetValueOrDefault("FilterPolicyScope")).Matches(draft.Attributes, body))
                {
                    continue;
                }

                var message = new PublishedMessage(messageId, draft.Subject, body, draft.Attributes, now);
                var raw = attributes.GetValueOrDefault("RawMessageDelivery") == "true";
                var document = await SnsMessages.NotificationAsync(sns, topic.Arn, subscription.Arn, message, signatureVersion, cancellationToken);
                var policy = attributes.GetValueOrDefault("DeliveryPolicy") is { } own ? DeliveryPolicy.Parse(own)
                    : topicDelivery is not null ? DeliveryPolicy.Parse(topicDelivery) : DeliveryPolicy.Default;
                var delivery = new SnsDelivery(
                    subscription.Protocol, subscription.Endpoint, subscription.Arn, topic.Arn, SnsMessages.Notification, messageId,
                    raw, raw ? body : document.ToJsonString(), draft.Subject, policy.NumRetries, policy.MinDelaySeconds, policy.MaxDelaySeconds);
                deliveries.Add(new SnsDeliveryRecord(Guid.NewGuid().ToString("N"), subscription.Arn, delivery.ToJson(), 0, now, now));
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Arn;
        }

        await sns.Repository.EnqueueAsync(deliveries, cancellationToken);
        if (deliveries.Count > 0)
        {
            sns.DeliveryQueued();
        }

        return messageId;
    }

    private static MessageAttributeValue CheckAttribute(string name, string type, string? value)
    {
        if (name.Length is 0 or > 256 || name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith('.') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal)
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw SnsErrors.Invalid("MessageAttributes: Message attribute name '" + name + "' is invalid");
        }

        var baseType = type.Split('.', 2)[0];
        if (type.StartsWith("String.Array", StringComparison.Ordinal))
        {
            baseType = "String.Array";
        }

        if (baseType is not ("String" or "Number" or "Binary" or "String.Array"))
        {
            throw SnsErrors.Invalid("The message attribute '" + name + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
        }

        if (string.IsNullOrEmpty(value))
        {
            throw SnsErrors.Invalid("The message attribute '" + name + "' must contain non-empty message attribute value for message attribute type '" + baseType + "'.");
        }

        if (baseType == "Number" && !decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw SnsErrors.Invalid("Value " + value + " for parameter MessageAttributes is invalid. Reason: Could not parse the number.").AsParameterValue();
        }

        if (baseType == "String.Array")
        {
            try
            {
                if (JsonNode.Parse(value) is not JsonArray)
                {
                    throw new JsonException();
                }
            }
            catch (JsonException)
            {
                throw SnsErrors.Invalid("The message attribute '" + name + "' with type 'String.Array' has an invalid value: it must be a JSON array.");
            }
        }

        return new MessageAttributeValue(type, value);
    }

    private static AwsException AsParameterValue(this AwsException error) => SnsErrors.ParameterValueInvalid.ToException(error.Message);
}
