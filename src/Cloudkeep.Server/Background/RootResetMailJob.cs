using Cloudkeep.Server.Alerts;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Services.Iam;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Sends root password reset e-mails, each only after every sink took the alerts raised with it
/// (<see cref="RootPasswordReset.DeliverableAsync"/>): the alert is in the security team's mailbox
/// before the link is in root's. Runs on the node holding its lease, woken when a reset is queued
/// here and every second otherwise (for alerts delivered since, retries, other nodes' requests).
/// An e-mail whose alert was dead-lettered, or whose link expired while it waited, is never sent;
/// a send that fails is retried with the alert delivery's back-off. The same pass announces any
/// completed reset a stopped node left without its event and alert.
/// </summary>
internal sealed partial class RootResetMailJob(
    RootPasswordReset reset,
    RootSignInRepository roots,
    LeaseRepository leases,
    TimeProvider time,
    CloudkeepOptions options,
    ILogger<RootResetMailJob> logger) : LeasedJob(leases, time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _wake = new(0);

    protected override string LeaseName => "root-reset-mail";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        reset.MailQueued += OnQueued;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(stoppingToken);
                await WaitForWorkAsync(_wake.WaitAsync, Interval, stoppingToken);
                while (_wake.CurrentCount > 0)
                {
                    await _wake.WaitAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            reset.MailQueued -= OnQueued;
            await ReleaseAsync();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private void OnQueued() => _wake.Release();

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var now = Time.GetUtcNow();
            var due = await roots.DueMailAsync(now.ToUnixTimeMilliseconds(), 20, stoppingToken);
            var leftovers = await roots.UnannouncedAsync((now - TimeSpan.FromMinutes(1)).ToUnixTimeMilliseconds(), stoppingToken);
            if ((due.Count == 0 && leftovers.Count == 0) || !await TryLeadAsync(now, stoppingToken))
            {
                return;
            }

            if (leftovers.Count > 0)
            {
                Announced(logger, await reset.AnnounceLeftoversAsync(stoppingToken));
            }

            foreach (var mail in due)
            {
                await DeliverAsync(mail, stoppingToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PassFailed(logger, exception);
        }
    }

    private async Task DeliverAsync(RootResetMailRow mail, CancellationToken stoppingToken)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (mail.ExpiresMs <= now)
        {
            await GiveUpAsync(mail, "the link expired before the alert it waited on was delivered", stoppingToken);
            return;
        }

        var (ready, refusal) = await reset.DeliverableAsync(mail, stoppingToken);
        if (refusal is not null)
        {
            await GiveUpAsync(mail, refusal, stoppingToken);
            return;
        }

        if (!ready)
        {
            return;
        }

        var content = reset.Open(mail);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Alerts.From));
        message.To.Add(MailboxAddress.Parse(content.To));
        message.Subject = content.Subject;
        message.Body = new TextPart("plain") { Text = content.Text };
        try
        {
            await OutboxMail.SendAsync(options.Alerts, options.DataDirectory, $"root-reset-{mail.Id}.eml", message, stoppingToken);
            await roots.RecordMailAsync(mail.Id, RootResetMailRow.Sent, mail.Attempts + 1, now, null, stoppingToken);
            Sent(logger, mail.AccountId);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            var attempts = mail.Attempts + 1;
            if (attempts >= options.Alerts.MaxAttempts)
            {
                await GiveUpAsync(mail with { Attempts = attempts - 1 }, exception.Message, stoppingToken);
                return;
            }

            await roots.RecordMailAsync(mail.Id, RootResetMailRow.Pending, attempts,
                (Time.GetUtcNow() + AlertDelivery.Backoff(attempts, options.Alerts.FirstRetry)).ToUnixTimeMilliseconds(), exception.Message, stoppingToken);
        }
    }

    private async Task GiveUpAsync(RootResetMailRow mail, string reason, CancellationToken stoppingToken)
    {
        await roots.RecordMailAsync(mail.Id, RootResetMailRow.Dead, mail.Attempts + 1, mail.DueMs, reason, stoppingToken);
        NotSent(logger, mail.AccountId, reason);
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Root password reset e-mail for account {AccountId} sent, after its alert")]
    private static partial void Sent(ILogger logger, string accountId);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "Root password reset e-mail for account {AccountId} not sent: {Reason}")]
    private static partial void NotSent(ILogger logger, string accountId, string reason);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Warning, Message = "Announced {Count} completed root password resets a stopped node had not recorded")]
    private static partial void Announced(ILogger logger, int count);

    [LoggerMessage(EventId = 5023, Level = LogLevel.Error, Message = "Root password reset e-mail pass failed; it will be retried")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
