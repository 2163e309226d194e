namespace Cloudkeep.Storage.Metadata;

/// <summary>A CloudWatch Logs group: retention (null keeps events forever) and tags as a JSON object.</summary>
public sealed record LogGroupRecord(string AccountId, string Region, string Name, int? RetentionDays, string? KmsKeyId, string Tags, DateTimeOffset CreatedAt);

/// <summary>A log stream and what its events span.</summary>
public sealed record LogStreamRecord(string GroupName, string Name, DateTimeOffset CreatedAt, long? FirstEvent, long? LastEvent, long? LastIngestion, long StoredBytes);

/// <summary>One stored event: its stream, its order of arrival, its timestamp and ingestion time (milliseconds), and its message.</summary>
public sealed record LogEventRecord(string StreamName, long Sequence, long Timestamp, long IngestionTime, string Message);
