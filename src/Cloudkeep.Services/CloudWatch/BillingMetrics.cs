using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// Where AWS/Billing EstimatedCharges will come from once Cloudkeep meters usage: the month's charges
/// so far per account (and per service, when known), in US dollars. Nothing implements it yet; the
/// publishing job publishes nothing without one.
/// </summary>
public interface IEstimatedChargesSource
{
    Task<IReadOnlyList<(string AccountId, string? ServiceName, double Usd)>> MonthToDateAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// AWS/Billing EstimatedCharges as AWS publishes it ("Creating a billing alarm to monitor your
/// estimated AWS charges"): in us-east-1 only, dimension Currency=USD (and ServiceName for the
/// per-service series), several times a day, in the account the charges belong to.
/// </summary>
public sealed class BillingMetrics(CloudWatchContext cloudWatch, IEstimatedChargesSource? source)
{
    public const string Namespace = "AWS/Billing";

    public const string Region = "us-east-1";

    public bool Enabled => source is not null;

    public async Task PublishAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (source is null)
        {
            return;
        }

        var at = now.ToUnixTimeSeconds();
        at -= at % 60;
        var points = (await source.MonthToDateAsync(now, cancellationToken)).Select(c => new CloudWatchRepository.PointWrite(
            MetricInputs.Metric(c.AccountId, Region, Namespace, "EstimatedCharges", c.ServiceName is null ? [new("Currency", "USD")] : [new("Currency", "USD"), new("ServiceName", c.ServiceName)]),
            60, at, "None", MetricAggregate.Of(c.Usd))).ToList();
        if (points.Count > 0)
        {
            await cloudWatch.Repository.PutAsync(points, now, cancellationToken);
        }
    }
}
