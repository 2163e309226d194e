using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>A console sign-in event of the root user: ConsoleLogin, PasswordRecoveryRequested or PasswordRecoveryCompleted.</summary>
public sealed record RootSignInEvent(string EventName, string AccountId, DateTimeOffset Time, string SourceIp, string UserAgent, bool Succeeded)
{
    public const string ConsoleLogin = "ConsoleLogin";
    public const string PasswordRecoveryRequested = "PasswordRecoveryRequested";
    public const string PasswordRecoveryCompleted = "PasswordRecoveryCompleted";

    /// <summary>additionalEventData members (ConsoleLogin: LoginTo, MobileVersion, MFAUsed, MFAIdentifier).</summary>
    public IReadOnlyDictionary<string, string> Additional { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Sign-in events as AWS records them ("AWS Management Console sign-in events" in the CloudTrail User
/// Guide): eventSource signin.amazonaws.com, eventType AwsConsoleSignIn, recorded in us-east-1, the
/// outcome in responseElements ({"ConsoleLogin": "Success"} or "Failure", with errorMessage "Failed
/// authentication"), userIdentity type Root with an empty accessKeyId. No password, code, link or
/// address is ever part of one.
/// <para>
/// Unlike API calls, which the record step stores in batches and judges after, these are stored and
/// judged by the alert rules before <see cref="RecordAsync"/> returns, and the alerts they raised are
/// handed back: a root password reset e-mail is queued behind its alert, so the alert must exist first.
/// </para>
/// </summary>
public sealed class SignInEvents(CloudTrailRepository repository, AlertEngine alerts)
{
    public const string EventSource = "signin.amazonaws.com";
    public const string Region = "us-east-1";

    /// <summary>Stores the event, then judges it; returns the alerts it raised, already in the outbox.</summary>
    public async Task<IReadOnlyList<JsonObject>> RecordAsync(RootSignInEvent signIn, CancellationToken cancellationToken)
    {
        var row = Build(signIn);
        await repository.AppendEventsAsync([row], cancellationToken);
        using var record = JsonDocument.Parse(row.Record);
        return await alerts.OnEventAsync(record.RootElement, cancellationToken);
    }

    public static CloudTrailEventRow Build(RootSignInEvent signIn)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        var eventId = Guid.CreateVersion7(signIn.Time).ToString();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventVersion", AuditRecords.EventVersion);
            json.WriteStartObject("userIdentity");
            json.WriteString("type", "Root");
            json.WriteString("principalId", signIn.AccountId);
            json.WriteString("arn", $"arn:aws:iam::{signIn.AccountId}:root");
            json.WriteString("accountId", signIn.AccountId);
            json.WriteString("accessKeyId", "");
            json.WriteEndObject();
            json.WriteString("eventTime", AuditRecords.Timestamp(signIn.Time));
            json.WriteString("eventSource", EventSource);
            json.WriteString("eventName", signIn.EventName);
            json.WriteString("awsRegion", Region);
            json.WriteString("sourceIPAddress", signIn.SourceIp.Length == 0 ? "unknown" : signIn.SourceIp);
            json.WriteString("userAgent", signIn.UserAgent);
            if (!signIn.Succeeded)
            {
                json.WriteString("errorMessage", "Failed authentication");
            }

            json.WriteNull("requestParameters");
            json.WriteStartObject("responseElements");
            json.WriteString(signIn.EventName, signIn.Succeeded ? "Success" : "Failure");
            json.WriteEndObject();
            if (signIn.Additional.Count > 0)
            {
                json.WriteStartObject("additionalEventData");
                foreach (var (name, value) in signIn.Additional)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            json.WriteString("eventID", eventId);
            json.WriteBoolean("readOnly", false);
            json.WriteString("eventType", "AwsConsoleSignIn");
            json.WriteBoolean("managementEvent", true);
            json.WriteString("recipientAccountId", signIn.AccountId);
            json.WriteString("eventCategory", "Management");
            json.WriteEndObject();
        }

        return new CloudTrailEventRow(eventId, signIn.AccountId, Region, signIn.Time, signIn.EventName, EventSource, "root", null, ReadOnly: false, Management: true,
            System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), []);
    }
}
