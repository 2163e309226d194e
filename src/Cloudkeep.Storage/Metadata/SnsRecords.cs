namespace Cloudkeep.Storage.Metadata;

/// <summary>An SNS topic: its settable attributes and tags as JSON objects of strings.</summary>
public sealed record SnsTopicRecord(string Arn, string AccountId, string Region, string Name, string Attributes, string Tags, DateTimeOffset CreatedAt);

/// <summary>
/// A subscription. A pending one keeps only the SHA-256 of its confirmation token (the token is a
/// credential: whoever holds it can confirm), and when the token lapses.
/// </summary>
public sealed record SnsSubscriptionRecord(
    string Arn,
    string TopicArn,
    string Owner,
    string Region,
    string Protocol,
    string Endpoint,
    string Attributes,
    bool Confirmed,
    string? TokenHash,
    DateTimeOffset? TokenExpiresAt,
    DateTimeOffset CreatedAt);

/// <summary>One message owed to one subscription: the signed message document as SNS would post it.</summary>
public sealed record SnsDeliveryRecord(string Id, string SubscriptionArn, string Message, int Attempts, DateTimeOffset NextAt, DateTimeOffset CreatedAt);
