using System.Text.Json;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// What one delivery owes one endpoint, fixed when it is queued: where it goes and the signed
/// document (or, for raw delivery, the bare message). Stored as JSON in the delivery queue so the
/// delivery job needs nothing else, and a subscription changed afterwards does not alter a
/// message already on its way.
/// </summary>
public sealed record SnsDelivery(
    string Protocol,
    string Endpoint,
    string SubscriptionArn,
    string TopicArn,
    string Type,
    string MessageId,
    bool Raw,
    string Body,
    string? Subject,
    int NumRetries,
    int MinDelaySeconds,
    int MaxDelaySeconds)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static SnsDelivery FromJson(string json) =>
        JsonSerializer.Deserialize<SnsDelivery>(json) ?? throw new JsonException("An empty delivery.");

    public DeliveryPolicy Policy => new(NumRetries, MinDelaySeconds, MaxDelaySeconds);
}
