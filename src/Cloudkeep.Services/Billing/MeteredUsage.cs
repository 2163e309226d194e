namespace Cloudkeep.Services.Billing;

/// <summary>What the request path counts, each in the unit it is counted in (requests, bytes).</summary>
public enum MeteredUsage
{
    S3Tier1,
    S3Tier2,
    S3BytesOut,
    KmsRequests,
    CloudWatchRequests,
    CloudWatchMetricsRequested,
    LogsBytesIngested,
    SnsPublishes,
    SnsHttpDeliveries,
    SnsEmailDeliveries,
    CloudTrailEvents,
    Route53Queries,
    CloudTrailPaidEvents,
}

public static class MeteredUsageNames
{
    /// <summary>The service, usage type (without region prefix) and the factor from the counted unit to the priced one.</summary>
    public static (string Service, string UsageType, double PerUnit) Of(MeteredUsage usage) => usage switch
    {
        MeteredUsage.S3Tier1 => (UsageTypes.S3, UsageTypes.S3Tier1, 1),
        MeteredUsage.S3Tier2 => (UsageTypes.S3, UsageTypes.S3Tier2, 1),
        MeteredUsage.S3BytesOut => (UsageTypes.S3, UsageTypes.DataTransferOut, 1 / UsageTypes.BytesPerGb),
        MeteredUsage.KmsRequests => (UsageTypes.Kms, UsageTypes.KmsRequests, 1),
        MeteredUsage.CloudWatchRequests => (UsageTypes.CloudWatch, UsageTypes.CloudWatchRequests, 1),
        MeteredUsage.CloudWatchMetricsRequested => (UsageTypes.CloudWatch, UsageTypes.CloudWatchMetricsRequested, 1),
        MeteredUsage.LogsBytesIngested => (UsageTypes.CloudWatch, UsageTypes.LogsIngested, 1 / UsageTypes.BytesPerGb),
        MeteredUsage.SnsPublishes => (UsageTypes.Sns, UsageTypes.SnsPublishes, 1),
        MeteredUsage.SnsHttpDeliveries => (UsageTypes.Sns, UsageTypes.SnsHttpDeliveries, 1),
        MeteredUsage.SnsEmailDeliveries => (UsageTypes.Sns, UsageTypes.SnsEmailDeliveries, 1),
        MeteredUsage.CloudTrailEvents => (UsageTypes.CloudTrail, UsageTypes.CloudTrailEvents, 1),
        MeteredUsage.Route53Queries => (UsageTypes.Route53, UsageTypes.DnsQueries, 1),
        MeteredUsage.CloudTrailPaidEvents => (UsageTypes.CloudTrail, UsageTypes.CloudTrailPaidEvents, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(usage)),
    };
}
