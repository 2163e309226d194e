using Prometheus;

namespace Cloudkeep.Server.Observability;

/// <summary>Prometheus metrics served at /_cloudkeep/metrics. Labels carry names, never identities or keys.</summary>
internal sealed class ServerMetrics
{
    public ServerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter(
            "cloudkeep_requests_total",
            "AWS API requests handled, by service, operation and HTTP status.",
            new CounterConfiguration { LabelNames = ["service", "operation", "status"] });
        Duration = factory.CreateHistogram(
            "cloudkeep_request_duration_seconds",
            "Time to handle an AWS API request, by service.",
            new HistogramConfiguration
            {
                LabelNames = ["service"],
                Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16),
            });
        InFlight = factory.CreateGauge("cloudkeep_requests_in_flight", "Requests being handled now.");
        Unexpected = factory.CreateCounter(
            "cloudkeep_unexpected_exceptions_total",
            "Requests that ended in an exception no step expected (answered InternalError/InternalFailure); any increase is a bug.");
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Histogram Duration { get; }

    public Gauge InFlight { get; }

    public Counter Unexpected { get; }
}
