namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// Metered usage of one hour: <paramref name="Tags"/> is the resource's cost allocation tags as
/// canonical JSON (an object, keys in ordinal order), empty when the usage has none;
/// <paramref name="Hour"/> is the hour's start.
/// </summary>
public sealed record UsageRecord(string AccountId, string Region, string Service, string UsageType, string Tags, DateTimeOffset Hour, double Quantity);
