using System.Text.Json;

namespace Cloudkeep.Services.Alerts;

public enum AlertSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>
/// A rule: an EventBridge pattern over the CloudTrail event as EventBridge delivers it (the record
/// is its "detail"), and, for what a pattern cannot say (a policy document granting "*" on "*", a
/// user without MFA), a predicate run only when the pattern matched.
/// </summary>
public sealed record AlertRule(string Name, AlertSeverity Severity, string Title, string Description, EventPattern Pattern)
{
    /// <summary>Whether the rule is one of the built-in security rules (on for every account) or an operator's.</summary>
    public bool BuiltIn { get; init; }

    public Func<JsonElement, IAlertFacts, CancellationToken, ValueTask<bool>>? Predicate { get; init; }

    /// <summary>
    /// For a rule that matches every call of a kind (root's access key used): how long after an
    /// alert the same rule stays quiet for the same account and access key, so a script running as
    /// root raises one alert an hour rather than one per request. Null alerts every match.
    /// </summary>
    public TimeSpan? QuietPeriod { get; init; }
}

/// <summary>What predicates may ask of the estate beyond the event itself.</summary>
public interface IAlertFacts
{
    /// <summary>Whether the IAM user has an MFA device (enabled or not yet).</summary>
    ValueTask<bool> UserHasMfaAsync(string accountId, string userName, CancellationToken cancellationToken);

    /// <summary>The default version's document of a managed policy (AWS or customer managed); null when there is none.</summary>
    ValueTask<string?> ManagedPolicyDocumentAsync(string policyArn, CancellationToken cancellationToken);
}
