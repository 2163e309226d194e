using System.Collections.Frozen;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// What Cloudkeep meters, named as AWS's bills and Cost Explorer name it: the service as the SERVICE
/// dimension shows it, and usage types "&lt;region code&gt;-&lt;type&gt;" with the region codes of
/// "Understanding your AWS billing and usage reports for Amazon S3" (US East (N. Virginia) has no prefix).
/// </summary>
public static class UsageTypes
{
    public const string S3 = "Amazon Simple Storage Service";
    public const string Kms = "AWS Key Management Service";
    public const string CloudWatch = "AmazonCloudWatch";
    public const string Sns = "Amazon Simple Notification Service";
    public const string CloudTrail = "AWS CloudTrail";
    public const string Route53 = "Amazon Route 53";

    /// <summary>Where a global service's usage is billed: Cost Explorer's REGION "global", usage types without a region code ("HostedZone").</summary>
    public const string Global = "global";

    private static readonly FrozenDictionary<string, string> RegionCodes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Global] = "", ["us-east-1"] = "", ["us-east-2"] = "USE2-", ["us-west-1"] = "USW1-", ["us-west-2"] = "USW2-",
        ["ca-central-1"] = "CAN1-", ["sa-east-1"] = "SAE1-",
        ["eu-west-1"] = "EU-", ["eu-west-2"] = "EUW2-", ["eu-west-3"] = "EUW3-", ["eu-central-1"] = "EUC1-", ["eu-central-2"] = "EUC2-",
        ["eu-north-1"] = "EUN1-", ["eu-south-1"] = "EUS1-", ["eu-south-2"] = "EUS2-",
        ["ap-east-1"] = "APE1-", ["ap-northeast-1"] = "APN1-", ["ap-northeast-2"] = "APN2-", ["ap-northeast-3"] = "APN3-",
        ["ap-southeast-1"] = "APS1-", ["ap-southeast-2"] = "APS2-", ["ap-south-1"] = "APS3-", ["ap-southeast-3"] = "APS4-",
        ["ap-south-2"] = "APS5-", ["ap-southeast-4"] = "APS6-", ["af-south-1"] = "CPT-", ["il-central-1"] = "ILC1-",
        ["me-central-1"] = "MEC1-", ["me-south-1"] = "MES1-",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The usage type's region prefix; a region AWS has no code for keeps its own name.</summary>
    public static string Prefix(string region) => RegionCodes.TryGetValue(region, out var code) ? code : region + "-";

    public static string For(string region, string type) => Prefix(region) + type;

    /// <summary>S3 storage by storage class ("TimedStorage-ByteHrs" and its per-class variants, priced per GB-Mo).</summary>
    public static string S3Storage(string storageClass) => storageClass switch
    {
        "STANDARD" => "TimedStorage-ByteHrs",
        "STANDARD_IA" => "TimedStorage-SIA-ByteHrs",
        "ONEZONE_IA" => "TimedStorage-ZIA-ByteHrs",
        "REDUCED_REDUNDANCY" => "TimedStorage-RRS-ByteHrs",
        "GLACIER" => "TimedStorage-GlacierByteHrs",
        "GLACIER_IR" => "TimedStorage-GIR-ByteHrs",
        "DEEP_ARCHIVE" => "TimedStorage-GDA-ByteHrs",
        "INTELLIGENT_TIERING" => "TimedStorage-INT-FA-ByteHrs",
        _ => "TimedStorage-ByteHrs",
    };

    public const string S3Tier1 = "Requests-Tier1";
    public const string S3Tier2 = "Requests-Tier2";
    public const string DataTransferOut = "DataTransfer-Out-Bytes";
    public const string KmsKeys = "KMS-Keys";
    public const string KmsRequests = "KMS-Requests";
    public const string CloudWatchMetrics = "CW:MetricMonitorUsage";
    public const string CloudWatchAlarms = "CW:AlarmMonitorUsage";
    public const string CloudWatchRequests = "CW:Requests";
    public const string CloudWatchMetricsRequested = "CW:GMD-Metrics";
    public const string LogsIngested = "DataProcessing-Bytes";
    public const string LogsStored = "TimedStorage-ByteHrs";
    public const string SnsPublishes = "Requests-Tier1";
    public const string SnsHttpDeliveries = "DeliveryAttempts-HTTP";
    public const string SnsEmailDeliveries = "DeliveryAttempts-SMTP";
    public const string CloudTrailEvents = "FreeEventsRecorded";
    public const string CloudTrailPaidEvents = "PaidEventsRecorded";
    public const string HostedZones = "HostedZone";
    public const string DnsQueries = "DNS-Queries";

    /// <summary>The service code AWS/Billing's ServiceName dimension and the price list API use for a service.</summary>
    public static string ServiceCode(string service) => service switch
    {
        S3 => "AmazonS3",
        Kms => "awskms",
        CloudWatch => "AmazonCloudWatch",
        Sns => "AmazonSNS",
        CloudTrail => "AWSCloudTrail",
        Route53 => "AmazonRoute53",
        _ => service,
    };

    public const double BytesPerGb = 1024d * 1024 * 1024;

    /// <summary>Hours in the UTC month the hour falls in: a month's storage is GB-Mo, so an hour of it is 1/that.</summary>
    public static int HoursInMonth(DateTimeOffset hour) => DateTime.DaysInMonth(hour.UtcDateTime.Year, hour.UtcDateTime.Month) * 24;
}
