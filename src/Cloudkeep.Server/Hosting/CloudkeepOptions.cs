namespace Cloudkeep.Server.Hosting;

/// <summary>How a server is started; each has a command-line option and an environment variable.</summary>
public sealed record CloudkeepOptions
{
    public const string DefaultListen = "127.0.0.1:4566";

    /// <summary>--data / CLOUDKEEP_DATA.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>--listen / CLOUDKEEP_LISTEN: HOST:PORT; port 0 picks a free one (tests).</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>--tls / CLOUDKEEP_TLS: serve HTTPS (TLS 1.2+) on <see cref="Listen"/>; implied by a certificate file.</summary>
    public bool Tls { get; init; }

    /// <summary>--tls-cert / CLOUDKEEP_TLS_CERT: PEM certificate (then intermediates); else a self-signed one is made.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>--tls-key / CLOUDKEEP_TLS_KEY: the certificate's unencrypted PEM private key.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>--listen-http / CLOUDKEEP_LISTEN_HTTP: an extra plain-http HOST:PORT beside the TLS one.</summary>
    public string? ListenHttp { get; init; }

    /// <summary>Whether the main listener speaks TLS.</summary>
    public bool UsesTls => Tls || TlsCertificateFile is not null || TlsKeyFile is not null;

    /// <summary>--database / CLOUDKEEP_DATABASE: empty for SQLite in the data directory, or a postgres:// URL.</summary>
    public string? Database { get; init; }

    /// <summary>
    /// --blobs / CLOUDKEEP_BLOBS and the backend's settings: disk:DIR (default &lt;data&gt;/blobs; a directory every
    /// node mounts for many nodes) or s3://BUCKET[/PREFIX] on an S3-compatible store such as Ceph's RADOS Gateway.
    /// </summary>
    public Storage.Blobs.BlobStoreOptions Blobs { get; init; } = new();

    /// <summary>--account-id / CLOUDKEEP_ACCOUNT_ID: the management account's id on first start.</summary>
    public string? AccountId { get; init; }

    public string? RootAccessKeyId { get; init; }

    /// <summary>
    /// How long the request-path caches (access keys, callers' policies and SCPs, buckets) may keep an entry
    /// that no change notification dropped; null keeps each cache's default (seconds). Tests of the change
    /// bus set it long, so that only a notification can make another node's change seen in time.
    /// </summary>
    public TimeSpan? CacheLifetime { get; init; }

    public string? RootSecretAccessKey { get; init; }

    /// <summary>CLOUDKEEP_MASTER_KEY: base64 of 32 bytes; else &lt;data&gt;/master.key.</summary>
    public string? MasterKey { get; init; }

    /// <summary>The largest body accepted by the query and JSON services (S3 bodies stream and are not bounded by this).</summary>
    public long MaxBufferedBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The total size of request headers accepted; larger requests get the protocol's error.</summary>
    public int MaxRequestHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>--lifecycle-interval / CLOUDKEEP_LIFECYCLE_INTERVAL (seconds): how often the S3 lifecycle job runs; 0 turns it off.</summary>
    public TimeSpan LifecycleInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// --replication-interval / CLOUDKEEP_REPLICATION_INTERVAL (seconds): how often the S3 replicator
    /// looks for due retries when no write wakes it; 0 turns replication off on this node.
    /// </summary>
    public TimeSpan ReplicationInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// --access-log-interval / CLOUDKEEP_ACCESS_LOG_INTERVAL (seconds): how often gathered S3 server
    /// access log lines are delivered as objects to their target buckets; 0 turns delivery off on this node.
    /// </summary>
    public TimeSpan AccessLogInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// --sns-delivery-interval / CLOUDKEEP_SNS_DELIVERY_INTERVAL (seconds): how often the SNS delivery
    /// job looks for retries that have come due; a publish wakes it at once. Zero turns delivery off on this node.
    /// </summary>
    public TimeSpan SnsDeliveryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>--logs-retention-interval / CLOUDKEEP_LOGS_RETENTION_INTERVAL (seconds): how often expired CloudWatch Logs events are deleted. Zero turns it off on this node.</summary>
    public TimeSpan LogsRetentionInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// --alarm-evaluation-interval / CLOUDKEEP_ALARM_EVALUATION_INTERVAL (seconds): how often CloudWatch
    /// alarms are evaluated (every minute, as on AWS). Zero turns evaluation off on this node.
    /// </summary>
    public TimeSpan AlarmEvaluationInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// --budget-evaluation-interval / CLOUDKEEP_BUDGET_EVALUATION_INTERVAL (seconds): how often budgets'
    /// notifications are judged against their spend and alerts sent (AWS updates budgets up to three
    /// times a day; hourly here, as metering is hourly). Zero turns evaluation off on this node.
    /// </summary>
    public TimeSpan BudgetEvaluationInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Metering (--no-metering / CLOUDKEEP_METERING=0 turns it off): usage is counted on the request
    /// path and flushed to the hour's rows every <see cref="MeteringFlushInterval"/> by each node;
    /// stored sizes are rolled up into hours every <see cref="MeteringRollupInterval"/> by the node
    /// holding the lease. Zero intervals turn those jobs off on this node.
    /// </summary>
    public bool Metering { get; init; } = true;

    public TimeSpan MeteringFlushInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan MeteringRollupInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>--price-list / CLOUDKEEP_PRICE_LIST: the operator's price list file, in place of the one shipped.</summary>
    public string? PriceListFile { get; init; }

    /// <summary>How often CloudWatch's metric retention runs and S3's daily storage metrics are checked for (zero: off on this node).</summary>
    public TimeSpan MetricsMaintenanceInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// --public-url / CLOUDKEEP_PUBLIC_URL: the address others reach this server at (behind a load
    /// balancer, say). SNS puts it in the links of its messages; null uses the listener's address.
    /// </summary>
    public string? PublicUrl { get; init; }

    /// <summary>
    /// --s3-legacy-bucket-defaults / CLOUDKEEP_S3_LEGACY_BUCKET_DEFAULTS=1: new buckets start as S3
    /// made them before April 2023 (ACLs enabled, ObjectWriter; no public access block; SSE-C allowed).
    /// </summary>
    public bool S3LegacyBucketDefaults { get; init; }

    /// <summary>--assets-listen / --assets-config: the assets router's listener and mapping; null runs none.</summary>
    public Assets.AssetsOptions? Assets { get; init; }

    /// <summary>--dns-listen / CLOUDKEEP_DNS_LISTEN: HOST:PORT of the DNS listener (UDP and TCP) for the public hosted zones; null runs none.</summary>
    public string? DnsListen { get; init; }

    /// <summary>
    /// --trusted-proxy / CLOUDKEEP_TRUSTED_PROXY: addresses or CIDR ranges of reverse proxies whose
    /// X-Forwarded-For is believed for aws:SourceIp (API and console). Empty (the default) believes none.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>
    /// --trail-delivery-interval / CLOUDKEEP_TRAIL_DELIVERY_INTERVAL (seconds): how often recorded events
    /// are delivered to the trails' buckets (AWS: "within an average of about 5 minutes"); 0 turns delivery off on this node.
    /// </summary>
    public TimeSpan TrailDeliveryInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>--trail-digest-interval / CLOUDKEEP_TRAIL_DIGEST_INTERVAL (seconds): how long one digest file covers; an hour, as in AWS.</summary>
    public TimeSpan TrailDigestInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// --no-audit-record / CLOUDKEEP_NO_AUDIT_RECORD=1 turns it off: whether every request is recorded as a
    /// CloudTrail event. On by default, as AWS's event history is; off only to measure what recording costs.
    /// </summary>
    public bool AuditRecording { get; init; } = true;

    /// <summary>The security watch job (--watch-interval, --watch-region, --watch-estate).</summary>
    public SecurityWatchOptions Watch { get; init; } = new();

    /// <summary>Alert sinks and operator rules (--smtp, --alert-to, --alert-webhook, --alert-rules, ...).</summary>
    public Alerts.AlertOptions Alerts { get; init; } = new();

    /// <summary>Emit one log line per request (method, service, operation, principal, status, duration).</summary>
    public bool RequestLogging { get; init; } = true;

    /// <summary>--trusted-proxy values: an address (a /32 or /128) or a CIDR range each; ArgumentException names a bad one.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> ParseTrustedProxies(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var networks = new List<System.Net.IPNetwork>();
        foreach (var value in values)
        {
            if (System.Net.IPNetwork.TryParse(value, out var network))
            {
                networks.Add(network);
            }
            else if (System.Net.IPAddress.TryParse(value, out var address))
            {
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new ArgumentException($"--trusted-proxy: '{value}' is neither an IP address nor a CIDR range.");
            }
        }

        return networks;
    }
}

/// <summary>serve's security watch: how often it runs, which regions it reads besides the buckets', and the baseline it holds accounts to.</summary>
public sealed record SecurityWatchOptions
{
    public static readonly IReadOnlyList<string> DefaultRegions = ["us-east-1"];

    /// <summary>--watch-interval / CLOUDKEEP_WATCH_INTERVAL (seconds): how often every account is checked; a day by default, zero turns the job off on this node.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>--watch-region / CLOUDKEEP_WATCH_REGIONS: where KMS keys and trails are read, besides the buckets' regions.</summary>
    public IReadOnlyList<string> Regions { get; init; } = DefaultRegions;

    /// <summary>--watch-estate / CLOUDKEEP_WATCH_ESTATE: the estate file whose password policies and replicated buckets are the baseline; null holds every account to the default baseline.</summary>
    public string? EstateFile { get; init; }
}
