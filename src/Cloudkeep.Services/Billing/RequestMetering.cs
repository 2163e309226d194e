using System.Text;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// Which usage one answered request is: S3's request tiers and bytes out ("PUT, COPY, POST, LIST
/// requests" are Tier 1, "GET, SELECT, and all other requests" Tier 2, "DELETE and CANCEL requests
/// are free", Amazon S3 pricing), KMS and CloudWatch API requests, GetMetricData's metrics,
/// CloudWatch Logs' ingested bytes, SNS publishes. Other services' requests are free.
/// </summary>
public static class RequestMetering
{
    /// <summary>CloudWatch Logs counts an event as its UTF-8 message plus 26 bytes (PutLogEvents, CloudWatch Logs API reference).</summary>
    private const int LogEventOverhead = 26;

    private static long EventBytes(JsonNode? logEvent)
    {
        var message = logEvent is JsonObject fields && fields["message"] is JsonValue text && text.TryGetValue<string>(out var value) ? value : "";
        return LogEventOverhead + Encoding.UTF8.GetByteCount(message);
    }

    public static void Count(UsageMeter meter, string service, string operation, string method, string accountId, string region, long? bytesOut, JsonObject? input)
    {
        ArgumentNullException.ThrowIfNull(meter);
        switch (service)
        {
            case "s3":
                if (method is "DELETE" || operation is "DeleteObjects")
                {
                    return;
                }

                meter.Count(accountId, region, method is "PUT" or "POST" || operation.StartsWith("List", StringComparison.Ordinal) ? MeteredUsage.S3Tier1 : MeteredUsage.S3Tier2);
                if (method is "GET" && bytesOut is > 0 and { } sent)
                {
                    meter.Count(accountId, region, MeteredUsage.S3BytesOut, sent);
                }

                break;
            case "kms":
                meter.Count(accountId, region, MeteredUsage.KmsRequests);
                break;
            case "monitoring":
                if (operation is "GetMetricData")
                {
                    meter.Count(accountId, region, MeteredUsage.CloudWatchMetricsRequested, (input?["MetricDataQueries"] as JsonArray)?.Count ?? 1);
                }
                else
                {
                    meter.Count(accountId, region, MeteredUsage.CloudWatchRequests);
                }

                break;
            case "logs" when operation is "PutLogEvents":
                var events = input is null ? null : input["logEvents"] as JsonArray;
                meter.Count(accountId, region, MeteredUsage.LogsBytesIngested, events?.Sum(EventBytes) ?? 0);
                break;
            case "sns" when operation is "Publish":
                meter.Count(accountId, region, MeteredUsage.SnsPublishes);
                break;
            case "sns" when operation is "PublishBatch":
                meter.Count(accountId, region, MeteredUsage.SnsPublishes, (input?["PublishBatchRequestEntries"] as JsonArray)?.Count ?? 1);
                break;
            default:
                break;
        }
    }
}
