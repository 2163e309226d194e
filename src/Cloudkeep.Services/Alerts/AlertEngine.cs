using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Alerts;

/// <summary>
/// Where CloudTrail records come in: each is matched against the built-in and the operator's rules
/// and every alert raised is written to the outbox, one row per sink, before this returns. So an
/// alert raised is an alert delivered, even across a restart; delivery itself is
/// <see cref="AlertDelivery"/>'s, woken through <see cref="Raised"/>.
/// </summary>
public sealed class AlertEngine(IReadOnlyList<AlertRule> rules, IAlertFacts facts, AlertOutboxRepository outbox, IReadOnlyList<string> sinks, TimeProvider time)
{
    // A quiet period bounds how often a repeating alert is raised, not whether it is. This node's own
    // memory answers first; the estate-wide answer is a lease (see QuietLeases).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _quietUntil = new(StringComparer.Ordinal);

    /// <summary>
    /// Where quiet periods are kept for every node (a lease per rule, account and key, taken by whichever node
    /// raises the alert first); without it each node keeps its own, and N nodes raise a repeating alert up to N times.
    /// </summary>
    public LeaseRepository? QuietLeases { get; init; }

    // Per rule, the event names and identity types it confines events to (null: any): most events
    // (every GetCallerIdentity, AssumeRole, ...) are then passed over without parsing their record.
    private readonly (IReadOnlySet<string>? Names, IReadOnlySet<string>? IdentityTypes)[] _confines =
        [.. rules.Select(r => (r.Pattern.RequiredStrings("detail", "eventName"), r.Pattern.RequiredStrings("detail", "userIdentity", "type")))];

    public IReadOnlyList<AlertRule> Rules => rules;

    /// <summary>
    /// Whether any rule can match an event of this name and identity type (null: unknown); false means judging
    /// its record would raise nothing.
    /// </summary>
    public bool MayMatch(string eventName, string? identityType)
    {
        foreach (var (names, types) in _confines)
        {
            if ((names is null || names.Contains(eventName)) && (types is null || identityType is null || types.Contains(identityType)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Called after alerts were written to the outbox (the delivery job listens, to deliver at once).</summary>
    public event Action<int>? Raised;

    /// <summary>
    /// Judges one CloudTrail event record (AWS's record format: eventName, eventSource,
    /// userIdentity, requestParameters, errorCode, recipientAccountId, ...) and returns the alerts
    /// it raised, already in the outbox.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> OnEventAsync(JsonElement cloudTrailRecord, CancellationToken cancellationToken)
    {
        if (cloudTrailRecord.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("a CloudTrail record is a JSON object", nameof(cloudTrailRecord));
        }

        var envelope = Envelope(cloudTrailRecord);
        var alerts = new List<JsonObject>();
        foreach (var rule in rules)
        {
            if (rule.Pattern.Matches(envelope) && (rule.Predicate is null || await rule.Predicate(cloudTrailRecord, facts, cancellationToken)) && !await QuietAsync(rule, cloudTrailRecord, cancellationToken))
            {
                alerts.Add(Alert(rule, cloudTrailRecord));
            }
        }

        await RaiseAsync(alerts, cancellationToken);
        return alerts;
    }

    /// <summary>
    /// Writes alerts judged elsewhere (the security watch's new findings) to the outbox, one row per
    /// sink, and wakes delivery. Each alert needs an "alertId"; "raisedAt" is added when missing.
    /// </summary>
    public async Task RaiseAsync(IReadOnlyList<JsonObject> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var alert in alerts.Where(a => a["raisedAt"] is null))
        {
            alert["raisedAt"] = RaisedAt(now);
        }

        var ms = now.ToUnixTimeMilliseconds();
        var rows = alerts.SelectMany(alert => sinks.Select(sink => new AlertOutboxRow(
            Guid.NewGuid().ToString("N"), alert["alertId"]!.GetValue<string>(), sink, alert.ToJsonString(), ms, 0, ms, AlertOutboxRow.Pending, null, null))).ToList();
        await outbox.AddAsync(rows, cancellationToken);
        Raised?.Invoke(alerts.Count);
    }

    private static string RaisedAt(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async ValueTask<bool> QuietAsync(AlertRule rule, JsonElement record, CancellationToken cancellationToken)
    {
        if (rule.QuietPeriod is not { } period)
        {
            return false;
        }

        var account = record.TryGetProperty("recipientAccountId", out var a) ? a.GetString() : null;
        var key = record.TryGetProperty("userIdentity", out var who) && who.TryGetProperty("accessKeyId", out var k) ? k.GetString() : null;
        var id = rule.Name + "|" + account + "|" + key;
        var now = time.GetUtcNow();
        if (_quietUntil.TryGetValue(id, out var until) && until > now)
        {
            return true;
        }

        // A holder of its own each time: the lease is taken only when no node raised this alert within the period.
        if (QuietLeases is not null && !await QuietLeases.TryTakeAsync("alert-quiet:" + id, Guid.NewGuid().ToString("N"), now, now + period, cancellationToken))
        {
            return true;
        }

        _quietUntil[id] = now + period;
        return false;
    }

    /// <summary>
    /// The record as EventBridge delivers CloudTrail events: source aws.&lt;service&gt;, detail-type by
    /// eventType, account the recipient account, detail the record
    /// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
    /// </summary>
    public static JsonElement Envelope(JsonElement record)
    {
        var eventSource = AlertDocuments.Text(record, "eventSource") ?? "";
        var envelope = new JsonObject
        {
            ["version"] = "0",
            ["id"] = AlertDocuments.Text(record, "eventID") ?? "",
            ["detail-type"] = AlertDocuments.Text(record, "eventType") switch
            {
                "AwsConsoleSignIn" => "AWS Console Sign In via CloudTrail",
                "AwsServiceEvent" => "AWS Service Event via CloudTrail",
                _ => "AWS API Call via CloudTrail",
            },
            ["source"] = "aws." + (eventSource.EndsWith(".amazonaws.com", StringComparison.Ordinal) ? eventSource[..^".amazonaws.com".Length] : eventSource),
            ["account"] = AlertDocuments.Text(record, "recipientAccountId") ?? AlertDocuments.Text(record, "userIdentity", "accountId") ?? "",
            ["time"] = AlertDocuments.Text(record, "eventTime") ?? "",
            ["region"] = AlertDocuments.Text(record, "awsRegion") ?? "",
            ["resources"] = new JsonArray(),
            ["detail"] = JsonNode.Parse(record.GetRawText()),
        };
        return JsonSerializer.SerializeToElement(envelope);
    }

    private JsonObject Alert(AlertRule rule, JsonElement record) => new()
    {
        ["alertId"] = Guid.NewGuid().ToString("N"),
        ["rule"] = rule.Name,
        ["builtIn"] = rule.BuiltIn,
        ["severity"] = rule.Severity.ToString(),
        ["title"] = rule.Title,
        ["description"] = rule.Description,
        ["account"] = AlertDocuments.Text(record, "recipientAccountId") ?? AlertDocuments.Text(record, "userIdentity", "accountId"),
        ["region"] = AlertDocuments.Text(record, "awsRegion"),
        ["eventTime"] = AlertDocuments.Text(record, "eventTime"),
        ["eventSource"] = AlertDocuments.Text(record, "eventSource"),
        ["eventName"] = AlertDocuments.Text(record, "eventName"),
        ["eventId"] = AlertDocuments.Text(record, "eventID"),
        ["principal"] = AlertDocuments.Text(record, "userIdentity", "arn"),
        ["sourceIPAddress"] = AlertDocuments.Text(record, "sourceIPAddress"),
        ["raisedAt"] = RaisedAt(time.GetUtcNow()),
        ["event"] = JsonNode.Parse(record.GetRawText()),
    };
}
