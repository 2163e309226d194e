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
        LifecycleExpired = factory.CreateCounter("cloudkeep_s3_lifecycle_expired_total", "Object versions and delete markers the S3 lifecycle job expired.");
        LifecycleAborted = factory.CreateCounter("cloudkeep_s3_lifecycle_uploads_aborted_total", "Incomplete multipart uploads the S3 lifecycle job aborted.");
        LifecycleTransitioned = factory.CreateCounter("cloudkeep_s3_lifecycle_transitioned_total", "Object versions the S3 lifecycle job moved to another storage class.");
        LifecyclePasses = factory.CreateCounter("cloudkeep_s3_lifecycle_passes_total", "Completed passes of the S3 lifecycle job on this node.");
        LifecycleFailures = factory.CreateCounter("cloudkeep_s3_lifecycle_failures_total", "Passes of the S3 lifecycle job that failed (retried at the next interval).");
        LifecycleLastRun = factory.CreateGauge("cloudkeep_s3_lifecycle_last_run_timestamp_seconds", "When this node last completed a lifecycle pass (Unix time, from the server's clock).");
        AccessLogLines = factory.CreateCounter("cloudkeep_s3_access_log_lines_total", "S3 server access log lines recorded (stored for delivery).");
        AccessLogDropped = factory.CreateCounter("cloudkeep_s3_access_log_dropped_total", "S3 server access log lines dropped before delivery (queue full or store failure).");
        AlertsRaised = factory.CreateCounter("cloudkeep_alerts_raised_total", "Alerts raised by the alert rules (each written to the outbox once per sink).");
        AlertsDelivered = factory.CreateCounter("cloudkeep_alerts_delivered_total", "Alert deliveries a sink took.");
        AlertsRetried = factory.CreateCounter("cloudkeep_alerts_retried_total", "Alert deliveries that failed and wait for a retry.");
        AlertsDeadLettered = factory.CreateCounter("cloudkeep_alerts_dead_lettered_total", "Alert deliveries given up (retries exhausted or sink gone): the dead-letter list.");
        AccessLogObjects = factory.CreateCounter("cloudkeep_s3_access_log_objects_total", "S3 server access log objects delivered to target buckets.");
        AccessLogRefused = factory.CreateCounter("cloudkeep_s3_access_log_refused_lines_total", "S3 server access log lines not delivered because the target bucket's policy does not allow the logging service.");
        ReplicationCompleted = factory.CreateCounter("cloudkeep_s3_replication_completed_total", "Object versions and delete markers replicated.");
        ReplicationFailed = factory.CreateCounter("cloudkeep_s3_replication_failed_total", "Object versions whose replication failed (refused, or given up after retries).");
        ReplicationRetries = factory.CreateCounter("cloudkeep_s3_replication_retries_total", "Replication attempts that will be retried after a back-off.");
        ReplicationBacklog = factory.CreateGauge("cloudkeep_s3_replication_backlog", "Object versions waiting in the replication queue (as last seen by this node's replicator).");
        AuditEvents = factory.CreateCounter("cloudkeep_audit_events_total", "CloudTrail events stored (a cross-account call stores two).");
        AuditQueueWaits = factory.CreateCounter("cloudkeep_audit_queue_waits_total", "Requests that waited for room in the full CloudTrail event queue (back-pressure from a slow store).");
        AuditStoreFailures = factory.CreateCounter("cloudkeep_audit_store_failures_total", "Failed attempts to store a batch of CloudTrail events (each retried, the batch kept).");
        AuditLost = factory.CreateCounter("cloudkeep_audit_lost_total", "CloudTrail events lost: a store still failing when the server stopped, or an event that could not be made (a bug). Any increase needs looking at.");
        AuditUnattributed = factory.CreateCounter("cloudkeep_audit_unattributed_total", "Requests no account could be named for (an unknown access key, anonymous with no resource), so no event was stored, as in AWS.");
        TrailFiles = factory.CreateCounter("cloudkeep_cloudtrail_log_files_total", "CloudTrail log files delivered to trail buckets.");
        TrailDigests = factory.CreateCounter("cloudkeep_cloudtrail_digest_files_total", "CloudTrail digest files delivered to trail buckets.");
        TrailRefused = factory.CreateCounter("cloudkeep_cloudtrail_refused_total", "CloudTrail log file deliveries refused by the bucket (missing, or its policy does not allow cloudtrail.amazonaws.com); retried at the next pass.");
        TrailAbandoned = factory.CreateCounter("cloudkeep_cloudtrail_abandoned_files_total", "CloudTrail log files given up: still refused when their newest event left the 90 days of event history.");
        AuditQueueDepth = factory.CreateGauge("cloudkeep_audit_queue_depth", "CloudTrail events waiting to be stored.");
        ChangesHeard = factory.CreateCounter("cloudkeep_cache_changes_heard_total", "Change notifications this node heard from the shared PostgreSQL store (its own changes included).");
        CacheResyncs = factory.CreateCounter("cloudkeep_cache_resyncs_total", "Times this node dropped every cache because it (re)started listening for changes and may have missed some.");
        ChangeListening = factory.CreateGauge("cloudkeep_cache_listening", "1 while this node listens for other nodes' changes (PostgreSQL), 0 while it reconnects.");
        SnsDelivered = factory.CreateCounter("cloudkeep_sns_delivered_total", "SNS messages (notifications and confirmations) delivered to their endpoints.");
        SnsDeliveryFailed = factory.CreateCounter("cloudkeep_sns_delivery_failed_total", "SNS messages given up: refused by the endpoint (4xx) or still failing after the delivery policy's retries.");
        SnsDeliveryRetries = factory.CreateCounter("cloudkeep_sns_delivery_retries_total", "SNS delivery attempts that failed and will be retried after the policy's delay.");
        // A summary, not a histogram: the lag's median and 99th percentile are what operators and the
        // benchmark read, and a summary answers them exactly over its window rather than to a bucket.
        ReplicationLag = factory.CreateSummary(
            "cloudkeep_s3_replication_lag_seconds",
            "Time from a version's write to its replication's completion (quantiles over the last 10 minutes).",
            new SummaryConfiguration { Objectives = [new QuantileEpsilonPair(0.5, 0.005), new QuantileEpsilonPair(0.99, 0.001)] });
        BackupRuns = factory.CreateCounter(
            "cloudkeep_backup_job_runs_total",
            "Scheduled database backup jobs run by this node (serve --backup-jobs), by job name and outcome (succeeded, failed).",
            new CounterConfiguration { LabelNames = ["job", "outcome"] });
        BackupDuration = factory.CreateGauge(
            "cloudkeep_backup_job_last_duration_seconds", "How long the job's last run took.", new GaugeConfiguration { LabelNames = ["job"] });
        BackupLastSuccess = factory.CreateGauge(
            "cloudkeep_backup_job_last_success_timestamp_seconds", "When the job last succeeded (Unix time): alert when it is older than a day.", new GaugeConfiguration { LabelNames = ["job"] });
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Histogram Duration { get; }

    public Gauge InFlight { get; }

    public Counter Unexpected { get; }

    public Counter LifecycleExpired { get; }

    public Counter LifecycleAborted { get; }

    public Counter LifecycleTransitioned { get; }

    public Counter LifecyclePasses { get; }

    public Counter LifecycleFailures { get; }

    public Gauge LifecycleLastRun { get; }

    public Counter AccessLogLines { get; }

    public Counter AccessLogDropped { get; }

    public Counter AccessLogObjects { get; }

    public Counter AlertsRaised { get; }

    public Counter AlertsDelivered { get; }

    public Counter AlertsRetried { get; }

    public Counter AlertsDeadLettered { get; }

    public Counter AccessLogRefused { get; }

    public Counter ReplicationCompleted { get; }

    public Counter ReplicationFailed { get; }

    public Counter ReplicationRetries { get; }

    public Gauge ReplicationBacklog { get; }

    public Summary ReplicationLag { get; }

    public Counter AuditEvents { get; }

    public Counter AuditQueueWaits { get; }

    public Counter AuditStoreFailures { get; }

    public Counter AuditLost { get; }

    public Counter AuditUnattributed { get; }

    public Gauge AuditQueueDepth { get; }

    public Counter TrailFiles { get; }

    public Counter TrailDigests { get; }

    public Counter TrailRefused { get; }
    public Counter TrailAbandoned { get; }
    public Counter SnsDelivered { get; }

    public Counter SnsDeliveryFailed { get; }

    public Counter SnsDeliveryRetries { get; }

    public Counter BackupRuns { get; }

    public Gauge BackupDuration { get; }

    public Gauge BackupLastSuccess { get; }

    public Counter ChangesHeard { get; }

    public Counter CacheResyncs { get; }

    public Gauge ChangeListening { get; }
}
