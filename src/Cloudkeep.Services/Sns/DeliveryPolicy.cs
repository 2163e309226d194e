using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// The retry part of an HTTP/S delivery policy ("Creating an HTTP/S delivery policy"): how many
/// retries and the delay between them. Cloudkeep spaces retries linearly from minDelayTarget to
/// maxDelayTarget (SNS's other backoff functions are read as linear).
/// </summary>
public sealed record DeliveryPolicy(int NumRetries, int MinDelaySeconds, int MaxDelaySeconds)
{
    public static DeliveryPolicy Default { get; } = new(3, 20, 20);

    public static DeliveryPolicy Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw SnsErrors.Invalid("DeliveryPolicy: the policy must be a JSON object");
            var retry = (root["http"] as JsonObject)?["defaultHealthyRetryPolicy"] as JsonObject ?? root["healthyRetryPolicy"] as JsonObject;
            if (retry is null)
            {
                return Default;
            }

            var retries = (int?)retry["numRetries"] ?? Default.NumRetries;
            var min = (int?)retry["minDelayTarget"] ?? Default.MinDelaySeconds;
            var max = (int?)retry["maxDelayTarget"] ?? Default.MaxDelaySeconds;
            if (retries is < 0 or > 100 || min < 1 || max < min || max > 3600)
            {
                throw SnsErrors.Invalid("DeliveryPolicy: numRetries must be 0-100 and 1 <= minDelayTarget <= maxDelayTarget <= 3600");
            }

            return new DeliveryPolicy(retries, min, max);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw SnsErrors.Invalid("DeliveryPolicy: " + e.Message);
        }
    }

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayBefore(int attempt) =>
        TimeSpan.FromSeconds(NumRetries <= 1 ? MinDelaySeconds : MinDelaySeconds + ((MaxDelaySeconds - MinDelaySeconds) * (attempt - 1) / (NumRetries - 1)));
}
