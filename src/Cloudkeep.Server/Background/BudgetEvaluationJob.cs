using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.Budgets;
using Cloudkeep.Services.Sns;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Evaluates every budget's notifications on the node holding the lease, at the injected clock's
/// time, then hands the queued alerts over: EMAIL subscribers through the SMTP relay SNS e-mail
/// uses (or the outbox directory), SNS subscribers by publishing to the topic as
/// budgets.amazonaws.com, which the topic's policy must allow as on AWS. The decision and its
/// alerts are written together, so a restart resumes the hand-over and never decides twice.
/// </summary>
internal sealed partial class BudgetEvaluationJob(
    BudgetEvaluator evaluator,
    BudgetRepository repository,
    SnsServicePublisher sns,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ILogger<BudgetEvaluationJob> logger) : LeasedJob(leases, time)
{
    public const string ServicePrincipal = "budgets.amazonaws.com";

    private const int MaxAttempts = 10;

    protected override string LeaseName => "budgets-evaluation";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RunEveryAsync(options.BudgetEvaluationInterval, PassAsync, stoppingToken);

    private async Task PassAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            if (!await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            await evaluator.EvaluateAllAsync(stoppingToken);
            foreach (var queued in await repository.OutboxAsync(100, stoppingToken))
            {
                await HandOverAsync(queued, stoppingToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    private async Task HandOverAsync(BudgetOutboxRecord queued, CancellationToken cancellationToken)
    {
        var alert = BudgetAlert.FromJson(queued.Message);
        bool delivered;
        try
        {
            delivered = alert.SubscriptionType == "SNS" ? await PublishAsync(alert, cancellationToken) : await MailAsync(alert, cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException)
        {
            delivered = false;
        }

        if (delivered || queued.Attempts + 1 >= MaxAttempts)
        {
            if (!delivered)
            {
                GivenUp(logger, alert.SubscriptionType, alert.BudgetName, queued.Attempts + 1);
            }

            await repository.FinishOutboxAsync(queued.Id, cancellationToken);
        }
        else
        {
            await repository.FailOutboxAsync(queued.Id, cancellationToken);
        }
    }

    /// <summary>
    /// "Amazon SNS topic policy for budget notifications" (AWS Budgets user guide): the topic must let
    /// budgets.amazonaws.com publish, with aws:SourceArn the budget and aws:SourceAccount its account.
    /// A topic that does not (or no longer exists) gets nothing, and retrying will not change that.
    /// </summary>
    private async Task<bool> PublishAsync(BudgetAlert alert, CancellationToken cancellationToken)
    {
        if (await sns.AllowedTopicAsync(alert.Address, ServicePrincipal, alert.BudgetArn, alert.AccountId, cancellationToken) is not { } topic)
        {
            TopicRefused(logger, alert.Address, alert.BudgetName);
            return true;
        }

        await sns.PublishAsync(topic, alert.Subject, alert.Text, cancellationToken);
        return true;
    }

    private async Task<bool> MailAsync(BudgetAlert alert, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("AWS Budgets", options.Alerts.From));
        message.To.Add(MailboxAddress.Parse(alert.Address));
        message.Subject = alert.Subject;
        message.Body = new TextPart("plain") { Text = alert.Text };
        if (options.Alerts.SmtpEndpoint() is { } smtp)
        {
            await Alerts.SmtpRelay.SendAsync(smtp, options.Alerts, message, cancellationToken);
            return true;
        }

        var outbox = Path.Combine(options.DataDirectory, "outbox");
        Directory.CreateDirectory(outbox);
        var name = Path.Combine(outbox, $"budget-{Guid.NewGuid():N}.eml");
        await message.WriteToAsync(name + ".tmp", cancellationToken);
        File.Move(name + ".tmp", name);
        return true;
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Error, Message = "Budget evaluation failed; the next pass retries")]
    private static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "A budget alert of {BudgetName} to its {SubscriptionType} subscriber was given up after {Attempts} attempts")]
    private static partial void GivenUp(ILogger logger, string subscriptionType, string budgetName, int attempts);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Warning, Message = "The SNS topic {TopicArn} does not exist or its policy does not let budgets.amazonaws.com publish; budget {BudgetName}'s alert was not sent to it")]
    private static partial void TopicRefused(ILogger logger, string topicArn, string budgetName);
}
