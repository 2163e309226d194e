namespace Cloudkeep.Storage.Metadata;

/// <summary>A Route 53 hosted zone. <see cref="Name"/> is lower-case with its trailing dot; name servers are the zone's delegation set.</summary>
public sealed record Route53ZoneRecord(
    string ZoneId,
    string AccountId,
    string Name,
    string CallerReference,
    string? Comment,
    bool PrivateZone,
    string? VpcId,
    string? VpcRegion,
    IReadOnlyList<string> NameServers,
    DateTimeOffset CreatedAt);

/// <summary>
/// One resource record set: a name, a type and, for weighted routing, a set identifier (empty for
/// simple routing) and a weight. <see cref="Values"/> are the record values exactly as the API gave them.
/// </summary>
public sealed record Route53RecordSet(
    string Name,
    string Type,
    string SetIdentifier,
    long? Weight,
    long Ttl,
    IReadOnlyList<string> Values);

/// <summary>A submitted change batch, for GetChange.</summary>
public sealed record Route53ChangeRecord(string ChangeId, string AccountId, string? Comment, DateTimeOffset SubmittedAt);

/// <summary>A change to a zone's record sets, applied with the others of its batch or not at all.</summary>
public sealed record Route53RecordChange(bool Delete, Route53RecordSet RecordSet);
