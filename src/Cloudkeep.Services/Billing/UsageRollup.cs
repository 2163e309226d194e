using System.Globalization;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// The hourly roll-up of usage that is priced by how long it lasts: S3 storage by storage class
/// (byte-hours as GB-Mo), KMS keys, custom metrics and alarms (per month, prorated by the hour as
/// AWS does) and CloudWatch Logs' stored bytes. Each completed hour is measured once, from what is
/// stored when the pass runs; hours a stopped estate missed are filled with the same measure (up to
/// 62 days back). Rows are set, not added, so a pass repeated after a failure counts nothing twice.
/// </summary>
public sealed class UsageRollup(UsageRepository usage, S3Repository s3, SettingsRepository settings)
{
    public const string NextHourSetting = "metering.next-hour";

    private static readonly TimeSpan MaxCatchUp = TimeSpan.FromDays(62);

    /// <summary>Rolls up every completed hour not rolled yet; returns how many hours it rolled.</summary>
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var currentHour = HourOf(now);
        var stored = await settings.GetAsync(NextHourSetting, cancellationToken);
        if (stored is null || !long.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var nextSeconds))
        {
            // The first pass on an estate starts measuring from the hour in progress.
            await settings.SetAsync(NextHourSetting, currentHour.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), cancellationToken);
            return 0;
        }

        var next = DateTimeOffset.FromUnixTimeSeconds(nextSeconds);
        if (next >= currentHour)
        {
            return 0;
        }

        if (currentHour - next > MaxCatchUp)
        {
            next = currentHour - MaxCatchUp;
        }

        var measure = await MeasureAsync(cancellationToken);
        var hours = 0;
        var rows = new List<UsageRecord>();
        for (var hour = next; hour < currentHour; hour = hour.AddHours(1))
        {
            var perHour = 1d / UsageTypes.HoursInMonth(hour);
            rows.AddRange(measure.Select(m => new UsageRecord(m.AccountId, m.Region, m.Service, m.UsageType, m.Tags, hour, m.MonthlyQuantity * perHour)));
            hours++;
            if (rows.Count >= 5_000)
            {
                await usage.SetAsync(rows, cancellationToken);
                rows.Clear();
            }
        }

        await usage.SetAsync(rows, cancellationToken);
        await settings.SetAsync(NextHourSetting, currentHour.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), cancellationToken);
        return hours;
    }

    public static DateTimeOffset HourOf(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds() / 3600 * 3600);

    /// <summary>What is stored now, as quantities per whole month (GB, keys, metrics, alarms).</summary>
    private async Task<List<Measure>> MeasureAsync(CancellationToken cancellationToken)
    {
        var measures = new Dictionary<(string, string, string, string, string), double>();
        void Add(string account, string region, string service, string type, string tags, double quantity)
        {
            var key = (account, region, service, UsageTypes.For(region, type), tags);
            measures[key] = measures.GetValueOrDefault(key) + quantity;
        }

        var configs = await usage.BucketConfigsAsync(cancellationToken);
        foreach (var bucket in await s3.StorageUsageAsync(cancellationToken))
        {
            var tags = configs.TryGetValue(bucket.Bucket, out var config) ? CostTags.OfBucketConfig(config) : "";
            Add(bucket.AccountId, bucket.Region, UsageTypes.S3, UsageTypes.S3Storage(bucket.StorageClass), tags, bucket.Bytes / UsageTypes.BytesPerGb);
        }

        foreach (var (account, region, keys) in await usage.KmsKeysAsync(cancellationToken))
        {
            Add(account, region, UsageTypes.Kms, UsageTypes.KmsKeys, "", keys);
        }

        foreach (var (account, region, metrics) in await usage.CustomMetricsAsync(cancellationToken))
        {
            Add(account, region, UsageTypes.CloudWatch, UsageTypes.CloudWatchMetrics, "", metrics);
        }

        foreach (var (account, region, alarms) in await usage.AlarmsAsync(cancellationToken))
        {
            Add(account, region, UsageTypes.CloudWatch, UsageTypes.CloudWatchAlarms, "", alarms);
        }

        foreach (var (account, region, bytes) in await usage.LogBytesAsync(cancellationToken))
        {
            Add(account, region, UsageTypes.CloudWatch, UsageTypes.LogsStored, "", bytes / UsageTypes.BytesPerGb);
        }

        // Route 53 is global: a hosted zone is billed per month wherever its records are served from.
        foreach (var (account, zones) in await usage.HostedZonesAsync(cancellationToken))
        {
            Add(account, UsageTypes.Global, UsageTypes.Route53, UsageTypes.HostedZones, "", zones);
        }

        return [.. measures.Where(m => m.Value > 0).Select(m => new Measure(m.Key.Item1, m.Key.Item2, m.Key.Item3, m.Key.Item4, m.Key.Item5, m.Value))];
    }

    private sealed record Measure(string AccountId, string Region, string Service, string UsageType, string Tags, double MonthlyQuantity);
}
