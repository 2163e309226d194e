namespace Cloudkeep.Services.CloudTrail;

/// <summary>One CloudTrail event as stored for one account: the JSON record and the facts LookupEvents filters on.</summary>
public sealed record AuditEvent(
    string EventId,
    string RecipientAccountId,
    string Region,
    DateTimeOffset EventTime,
    string EventName,
    string EventSource,
    string? Username,
    string? AccessKeyId,
    bool ReadOnly,
    bool Management,
    string Record,
    IReadOnlyList<(string Type, string Name)> Resources)
{
    /// <summary>The record's userIdentity.type (Root, IAMUser, AssumedRole, AWSService, ...); null when not known.</summary>
    public string? IdentityType { get; init; }
}

/// <summary>
/// Told of each event once it is durably stored (after the transaction that stored it committed), in
/// the order stored, for in-process consumers such as the alert engine. Register an implementation as
/// a singleton <c>IAuditEventObserver</c>; a slow observer delays the next batch's storing (back-pressure
/// on the record step), and an observer that throws is logged and not called again for that batch.
/// </summary>
public interface IAuditEventObserver
{
    ValueTask OnStoredAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);
}
