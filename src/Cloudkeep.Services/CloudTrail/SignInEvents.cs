using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// Console sign-in events as AWS records them ("AWS Management Console sign-in events" in the
/// CloudTrail User Guide), made by <see cref="AuditRecords"/> like every other record: eventSource
/// signin.amazonaws.com, eventType AwsConsoleSignIn, region us-east-1, the outcome in
/// responseElements ({"ConsoleLogin": "Success"} or "Failure", a failure with errorMessage "Failed
/// authentication" and no error code), the identity with an empty accessKeyId, a failed IAM sign-in's
/// user name hidden (it may be a mistyped password). No password, code, link or e-mail address is
/// ever part of one.
/// <para>
/// ConsoleLogin goes through the record step's queue (<see cref="IServiceCallRecorder"/>) and is
/// judged after its batch, as API calls are. A root password recovery event is stored and judged
/// before <see cref="RecordRecoveryAsync"/> returns, and the alerts it raised are handed back: the
/// reset e-mail is queued behind them, so they must exist first (a batch caught by a crash after its
/// commit is never judged, which a reset must not risk).
/// </para>
/// </summary>
public sealed class SignInEvents(CloudTrailRepository repository, AlertEngine alerts, IServiceCallRecorder? recorder)
{
    public const string Service = "signin";
    public const string EventType = "AwsConsoleSignIn";
    public const string Region = "us-east-1";
    public const string ConsoleLogin = "ConsoleLogin";
    public const string PasswordRecoveryRequested = "PasswordRecoveryRequested";
    public const string PasswordRecoveryCompleted = "PasswordRecoveryCompleted";

    /// <summary>Where AWS's sign-in events say the person was going: Cloudkeep's console.</summary>
    private const string LoginTo = "/console/";

    /// <summary>An IAM user sign-in that failed: the account is known, the name typed is not recorded (AWS hides it too).</summary>
    public static Caller HiddenUser(string accountId) =>
        new(PrincipalKind.User, accountId, $"arn:aws:iam::{accountId}:user/{AuditRecords.Hidden}", "", "");

    /// <summary>An IAM user as sign-in events name it (no session, an empty accessKeyId).</summary>
    public static Caller User(string accountId, string userArn, string userId) => new(PrincipalKind.User, accountId, userArn, userId, "");

    /// <summary>The root user as sign-in events name it (an empty accessKeyId, as AWS writes for console sign-ins).</summary>
    public static Caller Root(string accountId) => Caller.RootOf(accountId, "");

    /// <summary>Records a ConsoleLogin (queued with the API's events; stored and judged at once where no recorder runs).</summary>
    public async ValueTask ConsoleLoginAsync(Caller identity, DateTimeOffset time, string sourceIp, string userAgent, bool succeeded, bool mfaUsed, string? mfaSerial, CancellationToken cancellationToken)
    {
        var additional = new Dictionary<string, string> { ["LoginTo"] = LoginTo, ["MobileVersion"] = "No", ["MFAUsed"] = mfaUsed ? "Yes" : "No" };
        if (mfaSerial is not null)
        {
            additional["MFAIdentifier"] = mfaSerial;
        }

        var call = Call(ConsoleLogin, identity, time, sourceIp, userAgent, succeeded, additional);
        if (recorder is null)
        {
            await StoreAndJudgeAsync(call, cancellationToken);
            return;
        }

        await recorder.RecordAsync(call);
    }

    /// <summary>Stores a root password recovery event and judges it; returns the alerts it raised, already in the outbox.</summary>
    public Task<IReadOnlyList<JsonObject>> RecordRecoveryAsync(string eventName, string accountId, DateTimeOffset time, string sourceIp, string userAgent, IReadOnlyDictionary<string, string>? additional, CancellationToken cancellationToken) =>
        StoreAndJudgeAsync(Call(eventName, Root(accountId), time, sourceIp, userAgent, succeeded: true, additional), cancellationToken);

    public static AuditCall Call(string eventName, Caller identity, DateTimeOffset time, string sourceIp, string userAgent, bool succeeded, IReadOnlyDictionary<string, string>? additional)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new AuditCall
        {
            Time = time,
            Service = Service,
            Operation = eventName,
            Caller = identity,
            Region = Region,
            RequestId = "",
            SourceIp = sourceIp,
            UserAgent = userAgent,
            Output = new JsonObject { [eventName] = succeeded ? "Success" : "Failure" },
            ErrorMessage = succeeded ? null : "Failed authentication",
            EventType = EventType,
            AdditionalEventData = additional,
        };
    }

    private async Task<IReadOnlyList<JsonObject>> StoreAndJudgeAsync(AuditCall call, CancellationToken cancellationToken)
    {
        var stored = AuditRecords.Build(call);
        await repository.AppendEventsAsync([.. stored.Select(e => new CloudTrailEventRow(e.EventId, e.RecipientAccountId, e.Region, e.EventTime, e.EventName, e.EventSource, e.Username, e.AccessKeyId, e.ReadOnly, e.Management, e.Record, e.Resources))], cancellationToken);
        var raised = new List<JsonObject>();
        foreach (var made in stored)
        {
            using var record = JsonDocument.Parse(made.Record);
            raised.AddRange(await alerts.OnEventAsync(record.RootElement, cancellationToken));
        }

        return raised;
    }
}
