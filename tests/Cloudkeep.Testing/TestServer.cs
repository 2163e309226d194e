using Cloudkeep.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Testing;

/// <summary>
/// A real Cloudkeep server on a free loopback port with its own data directory and a known root
/// key, for integration tests that drive it through real AWS clients.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string RootAccessKeyId = "AKIACLOUDKEEPTEST001";
    public const string RootSecretAccessKey = "cloudkeep-test-secret-0123456789abcdefghij";

    private readonly TempDirectory? _ownedDirectory;

    private TestServer(CloudkeepServer server, TempDirectory? ownedDirectory)
    {
        Server = server;
        _ownedDirectory = ownedDirectory;
    }

    public CloudkeepServer Server { get; }

    public string Endpoint => Server.Address.ToString().TrimEnd('/');

    /// <summary>With tls: the plain-http listener beside the TLS one (http://127.0.0.1:PORT).</summary>
    public string? HttpEndpoint => Server.HttpAddress?.ToString().TrimEnd('/');

    /// <summary>With tls: the server's self-signed certificate in PEM, for AWS_CA_BUNDLE / verify=.</summary>
    public string? CaFile => Server.Certificate?.CertificateFile;

    /// <summary>The assets router (http://127.0.0.1:PORT), when started with assets options.</summary>
    public string? AssetsEndpoint => Server.AssetsAddress?.ToString().TrimEnd('/');

    public string AccountId => Server.Bootstrap.ManagementAccountId;

    /// <summary>The DNS listener's port (started with dns: true); UDP and TCP share it.</summary>
    public int DnsPort => Server.DnsEndPoint?.Port ?? throw new InvalidOperationException("This server runs no DNS listener.");

    public string DataDirectory => Server.DataDirectory;

    public static async Task<TestServer> StartAsync(string? database = null, string? dataDirectory = null, string? accountId = "111122223333", TimeProvider? time = null, string? masterKey = null, bool tls = false, bool plainHttpToo = false, TimeSpan? lifecycleInterval = null, Cloudkeep.Server.Assets.AssetsOptions? assets = null, TimeSpan? accessLogInterval = null, bool s3LegacyBucketDefaults = false, bool dns = false, TimeSpan? snsDeliveryInterval = null, TimeSpan? logsRetentionInterval = null, IReadOnlyList<System.Net.IPNetwork>? trustedProxies = null, Action<ILoggingBuilder>? logging = null, TimeSpan? trailDeliveryInterval = null, TimeSpan? trailDigestInterval = null, Cloudkeep.Server.Alerts.AlertOptions? alerts = null, TimeSpan? alarmEvaluationInterval = null, SecurityWatchOptions? watch = null, TimeSpan? budgetEvaluationInterval = null, TimeSpan? meteringFlushInterval = null, TimeSpan? meteringRollupInterval = null, bool metering = true, TimeSpan? cacheLifetime = null, Cloudkeep.Storage.Blobs.BlobStoreOptions? blobs = null)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var options = new CloudkeepOptions
        {
            DataDirectory = dataDirectory ?? owned!.Path,
            Listen = "127.0.0.1:0",
            Database = database,
            Blobs = blobs ?? new(),
            AccountId = accountId,
            RootAccessKeyId = RootAccessKeyId,
            RootSecretAccessKey = RootSecretAccessKey,
            RequestLogging = false,
            MasterKey = masterKey,
            Tls = tls,
            ListenHttp = tls && plainHttpToo ? "127.0.0.1:0" : null,
            Assets = assets,
            DnsListen = dns ? "127.0.0.1:0" : null,

            // Off unless a test asks: a pass on the shared clock would race tests that move it.
            LifecycleInterval = lifecycleInterval ?? TimeSpan.Zero,
            AccessLogInterval = accessLogInterval ?? TimeSpan.FromMinutes(1),
            S3LegacyBucketDefaults = s3LegacyBucketDefaults,
            TrailDeliveryInterval = trailDeliveryInterval ?? TimeSpan.FromMinutes(1),
            TrailDigestInterval = trailDigestInterval ?? TimeSpan.FromHours(1),
            SnsDeliveryInterval = snsDeliveryInterval ?? TimeSpan.FromSeconds(1),
            LogsRetentionInterval = logsRetentionInterval ?? TimeSpan.Zero,
            AlarmEvaluationInterval = alarmEvaluationInterval ?? TimeSpan.Zero,
            BudgetEvaluationInterval = budgetEvaluationInterval ?? TimeSpan.Zero,
            MetricsMaintenanceInterval = TimeSpan.Zero,
            Metering = metering,
            MeteringFlushInterval = meteringFlushInterval ?? TimeSpan.FromMinutes(1),

            // Off unless a test asks: a pass on the shared clock would race tests that move it.
            MeteringRollupInterval = meteringRollupInterval ?? TimeSpan.Zero,
            CacheLifetime = cacheLifetime,
            TrustedProxies = trustedProxies ?? [],
            Alerts = alerts ?? new(),

            // Off unless a test asks: a pass reads every account, which tests of other things do not want.
            Watch = watch ?? new SecurityWatchOptions { Interval = TimeSpan.Zero },
        };
        try
        {
            var server = await CloudkeepServer.StartAsync(options, logging ?? (builder => builder.SetMinimumLevel(LogLevel.Warning)), time);
            return new TestServer(server, owned);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _ownedDirectory?.Dispose();
    }
}
