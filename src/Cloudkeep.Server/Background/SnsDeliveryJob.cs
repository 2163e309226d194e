using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Server.Observability;
using Cloudkeep.Services.Sns;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Delivers queued SNS messages on the one node holding the delivery lease: HTTP/S endpoints get a
/// POST as SNS makes it (its headers, the signed JSON or the raw message); 2xx is delivered, 4xx is
/// a refusal SNS does not retry, 5xx and network failures are retried on the delivery policy's
/// schedule (on the injected clock). E-mail goes to the outbox directory as .eml files. A publish
/// wakes the job at once; the queue is in the metadata store, so a restart delivers what is left.
/// </summary>
internal sealed partial class SnsDeliveryJob(
    SnsContext sns,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ServerMetrics metrics,
    Services.Billing.UsageMeter meter,
    ILogger<SnsDeliveryJob> logger) : LeasedJob(leases, time), IDisposable
{
    private const int BatchSize = 64;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromSeconds(15) };

    protected override string LeaseName => "sns-delivery";

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.SnsDeliveryInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!await RunOnceAsync(stoppingToken))
                {
                    await WaitForWorkAsync(sns.WaitForDeliveryAsync, interval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ReleaseAsync();
        }
    }


    /// <returns>Whether a whole batch was taken (more may be due at once).</returns>
    private async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        var now = Time.GetUtcNow();
        try
        {
            if (!await sns.Repository.AnyDeliveryDueAsync(now, stoppingToken) || !await TryLeadAsync(now, stoppingToken))
            {
                return false;
            }

            var due = await sns.Repository.DueDeliveriesAsync(now, BatchSize, stoppingToken);
            // A few at a time: one slow endpoint must not hold up the others' messages.
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stoppingToken }, DeliverAsync);
            return due.Count == BatchSize;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
            return false;
        }
    }

    private async ValueTask DeliverAsync(SnsDeliveryRecord record, CancellationToken cancellationToken)
    {
        var delivery = SnsDelivery.FromJson(record.Message);
        var outcome = delivery.Protocol switch
        {
            "http" or "https" => await PostAsync(delivery, cancellationToken),
            "email" or "email-json" => await MailAsync(delivery, cancellationToken),
            _ => Outcome.Refused,
        };

        // Each attempt is billed to the topic's account, in its region ("DeliveryAttempts-HTTP", "-SMTP").
        if (delivery.Protocol is "http" or "https" or "email" or "email-json" && delivery.TopicArn.Split(':') is [_, _, _, var region, var account, ..])
        {
            meter.Count(account, region, delivery.Protocol.StartsWith("http", StringComparison.Ordinal) ? Services.Billing.MeteredUsage.SnsHttpDeliveries : Services.Billing.MeteredUsage.SnsEmailDeliveries);
        }
        if (outcome == Outcome.Delivered)
        {
            metrics.SnsDelivered.Inc();
            await sns.Repository.FinishDeliveryAsync(record.Id, cancellationToken);
        }
        else if (outcome == Outcome.Failed && record.Attempts < delivery.NumRetries)
        {
            metrics.SnsDeliveryRetries.Inc();
            await sns.Repository.PostponeDeliveryAsync(record.Id, Time.GetUtcNow() + delivery.Policy.DelayBefore(record.Attempts + 1), cancellationToken);
        }
        else
        {
            metrics.SnsDeliveryFailed.Inc();
            DeliveryGivenUp(logger, delivery.Type, delivery.TopicArn, record.Attempts + 1);
            await sns.Repository.FinishDeliveryAsync(record.Id, cancellationToken);
        }
    }

    private async Task<Outcome> PostAsync(SnsDelivery delivery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Endpoint)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "UTF-8" };
        request.Headers.TryAddWithoutValidation("User-Agent", "Amazon Simple Notification Service Agent");
        request.Headers.Add("x-amz-sns-message-type", delivery.Type);
        request.Headers.Add("x-amz-sns-message-id", delivery.MessageId);
        request.Headers.Add("x-amz-sns-topic-arn", delivery.TopicArn);
        if (delivery.Type != SnsMessages.SubscriptionConfirmation)
        {
            request.Headers.Add("x-amz-sns-subscription-arn", delivery.SubscriptionArn);
        }

        if (delivery.Raw)
        {
            request.Headers.Add("x-amz-sns-rawdelivery", "true");
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? Outcome.Delivered : status is >= 400 and < 500 ? Outcome.Refused : Outcome.Failed;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Outcome.Failed;
        }
    }

    /// <summary>
    /// E-mail as SNS sends it: "email" is the message as text (a confirmation as its link), with
    /// the subject given at publish or "AWS Notification Message"; "email-json" is the JSON document.
    /// Sent through --smtp when it is set (a failure is retried like an HTTP endpoint's 5xx), else
    /// written to the outbox directory (one .eml per message, written to a temporary name and renamed).
    /// </summary>
    private async Task<Outcome> MailAsync(SnsDelivery delivery, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("AWS Notifications", options.Alerts.From));
        message.To.Add(MailboxAddress.Parse(delivery.Endpoint));
        string text;
        if (delivery.Type == SnsMessages.Notification)
        {
            message.Subject = delivery.Subject ?? "AWS Notification Message";
            text = delivery.Protocol == "email-json" ? delivery.Body : (string?)JsonNode.Parse(delivery.Body)?["Message"] ?? delivery.Body;
            if (delivery.Protocol == "email")
            {
                text += "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n"
                    + (string?)JsonNode.Parse(delivery.Body)?["UnsubscribeURL"];
            }
        }
        else
        {
            message.Subject = "AWS Notification - Subscription Confirmation";
            var document = JsonNode.Parse(delivery.Body)!;
            text = delivery.Protocol == "email-json" ? delivery.Body
                : $"You have chosen to subscribe to the topic:\n{delivery.TopicArn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n{(string?)document["SubscribeURL"]}";
        }

        message.Body = new TextPart("plain") { Text = text };
        if (options.Alerts.SmtpEndpoint() is { } smtp)
        {
            try
            {
                await Alerts.SmtpRelay.SendAsync(smtp, options.Alerts, message, cancellationToken);
                return Outcome.Delivered;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException)
            {
                return Outcome.Failed;
            }
        }

        var outbox = Path.Combine(options.DataDirectory, "outbox");
        Directory.CreateDirectory(outbox);
        var name = Path.Combine(outbox, $"sns-{delivery.MessageId}-{Guid.NewGuid():N}.eml");
        var temporary = name + ".tmp";
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, name);
        return Outcome.Delivered;
    }

    private enum Outcome
    {
        Delivered,
        Failed,
        Refused,
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SNS delivery pass failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);

    // The topic, not the subscription: a subscription's ARN is all an unsigned Unsubscribe needs.
    [LoggerMessage(Level = LogLevel.Warning, Message = "SNS {Type} from {Topic} given up after {Attempts} attempts")]
    private static partial void DeliveryGivenUp(ILogger logger, string type, string topic, int attempts);
}
