namespace Cloudkeep.Storage.Metadata;

/// <summary>One AWS account of the estate.</summary>
public sealed record AccountRecord(string AccountId, string Name, string Email, string Status, bool IsManagement, DateTimeOffset CreatedAt);
