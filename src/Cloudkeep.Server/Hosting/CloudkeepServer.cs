using System.Security.Authentication;
using System.Text.Json;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Services.Authorization;
using Cloudkeep.Services.Kms;
using Cloudkeep.Services.Organizations;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Routing;
using Cloudkeep.Protocol.SigV4;
using Cloudkeep.Server.Observability;
using Cloudkeep.Server.Pipeline;
using Cloudkeep.Services;
using Cloudkeep.Services.Bootstrap;
using Cloudkeep.Services.Iam;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Storage.Files;
using Cloudkeep.Storage.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Hosting;

/// <summary>
/// One Cloudkeep node: opens the stores, bootstraps the estate, and serves every AWS service on one
/// Kestrel listener. The CLI's serve command and the integration tests start it the same way.
/// </summary>
public sealed class CloudkeepServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IMetadataStore _store;

    private CloudkeepServer(WebApplication app, IMetadataStore store, IBlobStore blobs, BootstrapResult bootstrap, Uri address, Uri? httpAddress, ServerCertificate? certificate, string dataDirectory)
    {
        _app = app;
        _store = store;
        Blobs = blobs;
        Bootstrap = bootstrap;
        Address = address;
        HttpAddress = httpAddress;
        Certificate = certificate;
        DataDirectory = dataDirectory;
    }

    public BootstrapResult Bootstrap { get; }

    /// <summary>Where this node keeps blobs (--blobs).</summary>
    public IBlobStore Blobs { get; }

    /// <summary>The base URL clients use (http://127.0.0.1:PORT, or https:// with --tls).</summary>
    public Uri Address { get; }

    /// <summary>The extra plain-http listener's URL (--listen-http), if any.</summary>
    public Uri? HttpAddress { get; }

    /// <summary>The certificate the TLS listener presents; null without TLS.</summary>
    public ServerCertificate? Certificate { get; }

    public string DataDirectory { get; }

    /// <summary>The assets router's URL (--assets-listen), if it runs.</summary>
    public Uri? AssetsAddress => _app.Services.GetService<Assets.AssetsListener>()?.Address;

    /// <summary>The DNS listener's address (--dns-listen), if it runs.</summary>
    public System.Net.IPEndPoint? DnsEndPoint => _app.Services.GetService<Dns.DnsListener>()?.EndPoint;

    public string Engine => _store.Engine;

    /// <summary>
    /// The alert engine: <c>OnEventAsync(cloudTrailRecord)</c> judges one CloudTrail record against the
    /// built-in and operator rules and writes what it raises to the durable outbox.
    /// </summary>
    /// <summary>The operator's alert rules; a file that cannot be read or has a bad rule stops the start, listing every problem.</summary>
    private static IReadOnlyList<AlertRule> OperatorRules(string? file)
    {
        try
        {
            return file is null ? [] : AlertRuleFile.Load(file);
        }
        catch (Exception e) when (e is AlertRuleFileException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--alert-rules {file}: {e.Message}", e);
        }
    }

    public AlertEngine Alerts => _app.Services.GetRequiredService<AlertEngine>();

    /// <summary>The operator's price list, or the one shipped; a file that cannot be read or has bad entries stops the start, listing every problem.</summary>
    private static global::Cloudkeep.Services.Billing.PriceList LoadPriceList(string? file)
    {
        try
        {
            return file is null ? global::Cloudkeep.Services.Billing.PriceList.Embedded() : global::Cloudkeep.Services.Billing.PriceList.Load(file);
        }
        catch (Exception e) when (e is global::Cloudkeep.Services.Billing.PriceListException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--price-list {file}: {e.Message}", e);
        }
    }

    /// <summary>The security watch's baseline; an estate file that cannot be read stops the start.</summary>
    private static Checks.WatchBaseline LoadWatchBaseline(string? file)
    {
        try
        {
            return file is null ? Checks.WatchBaseline.None : Checks.WatchBaseline.Load(file);
        }
        catch (Exception e) when (e is Checks.WatchException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--watch-estate {file}: {e.Message}", e);
        }
    }

    /// <summary>The host's services (the operation registry, the model catalogue, the metrics), for tests that walk them.</summary>
    internal IServiceProvider Services => _app.Services;

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>
    /// A scheduled job's outcome as metrics (the command runs the database backup jobs beside the server; the
    /// server only counts them, by the job's name).
    /// </summary>
    public void RecordJobRun(string job, bool succeeded, TimeSpan duration, DateTimeOffset finished)
    {
        var metrics = _app.Services.GetRequiredService<ServerMetrics>();
        metrics.BackupRuns.WithLabels(job, succeeded ? "succeeded" : "failed").Inc();
        metrics.BackupDuration.WithLabels(job).Set(duration.TotalSeconds);
        if (succeeded)
        {
            metrics.BackupLastSuccess.WithLabels(job).Set(finished.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    public static async Task<CloudkeepServer> StartAsync(
        CloudkeepOptions options,
        Action<ILoggingBuilder>? configureLogging = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        var dataDirectory = Storage.Files.DataDirectory.Ensure(options.DataDirectory);
        options = options with { DataDirectory = dataDirectory };
        var secrets = new SecretBox(SecretFiles.LoadOrCreateMasterKey(dataDirectory, options.MasterKey));
        var listen = ListenAddress.Parse(options.Listen);
        var listenHttp = options.ListenHttp is null ? null : ListenAddress.Parse(options.ListenHttp, "--listen-http");
        var dnsListen = options.DnsListen is null ? null : ListenAddress.Parse(options.DnsListen, "--dns-listen");
        if (listenHttp is not null && !options.UsesTls)
        {
            throw new ArgumentException("--listen-http adds a plain-http listener beside the TLS one; it needs --tls (the main listener is already plain http).");
        }

        // Certificate files are checked before anything is created, so a bad one changes nothing.
        var certificate = ServerCertificateStore.FromOptionFiles(options);
        IMetadataStore store;
        IBlobStore blobs;
        try
        {
            blobs = options.Blobs.Create(dataDirectory, time);
            try
            {
                store = MetadataStoreFactory.Create(options.Database, dataDirectory);
            }
            catch
            {
                (blobs as IDisposable)?.Dispose();
                throw;
            }
        }
        catch
        {
            certificate?.Dispose();
            throw;
        }

        try
        {
            // A backend that refuses the store's credentials or bucket stops the start; one that cannot be reached
            // now does not (the node serves what needs no blob, and answers 503 for the rest until it can).
            var blobsUnreachable = blobs is S3BlobStore remote ? await remote.CheckAsync(cancellationToken) : null;
            await store.MigrateAsync(time, cancellationToken);
            var reclaimer = new Storage.Snapshots.BlobReclaimer(store, blobs, time);
            var accounts = new AccountRepository(store);
            var keys = new AccessKeyRepository(store);
            var settings = new SettingsRepository(store);
            var bootstrap = await new EstateBootstrapper(accounts, keys, settings, secrets, time).RunAsync(
                new BootstrapOptions(dataDirectory, options.AccountId, options.RootAccessKeyId, options.RootSecretAccessKey),
                cancellationToken);
            if (certificate is null && options.UsesTls)
            {
                certificate = await ServerCertificateStore.LoadSelfSignedAsync(options, settings, secrets, time, cancellationToken);
            }

            // Without this the host watches its content root (the working directory, usually above the data directory)
            // recursively for appsettings changes, so every SQLite WAL write woke a watcher thread: 6 % of the server's
            // CPU under 4 KiB PUT load. Cloudkeep takes no settings from appsettings files.
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
            builder.Logging.ClearProviders();
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            if (configureLogging is not null)
            {
                configureLogging(builder.Logging);
            }
            else
            {
                builder.Logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    o.UseUtcTimestamp = true;
                });
            }

            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                if (certificate is null)
                {
                    kestrel.Listen(listen);
                }
                else
                {
                    kestrel.Listen(listen, listenOptions =>
                    {
                        // HTTP/1.1 only, as S3 is; HTTP/2 would also bypass the header limits below.
                        listenOptions.Protocols = HttpProtocols.Http1;
                        listenOptions.UseHttps(new HttpsConnectionAdapterOptions
                        {
                            ServerCertificate = certificate.Certificate,
                            ServerCertificateChain = certificate.Chain.Count > 0 ? certificate.Chain : null,
                            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        });
                    });
                }

                if (listenHttp is not null)
                {
                    kestrel.Listen(listenHttp);
                }

                kestrel.AddServerHeader = false;
                kestrel.RequestHeaderEncodingSelector = _ => HeaderEncoding.Instance;

                // Kestrel's own limits would answer with a bare status; ours answer in AWS's shapes,
                // so Kestrel's are set above ours. S3 bodies stream, so Kestrel does not cap them.
                kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(options.MaxRequestHeaderBytes * 2, 128 * 1024);
                // A 1 MB object key must reach the pipeline to be told KeyTooLongError in S3's shape.
                kestrel.Limits.MaxRequestLineSize = 4 * 1024 * 1024;
                kestrel.Limits.MaxRequestBufferSize = 4 * 1024 * 1024 + 64 * 1024;
                kestrel.Limits.MaxRequestBodySize = null;
            });
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
            Assets.AssetsListener.Add(builder, options.Assets);

            var catalog = ModelCatalog.LoadEmbedded();
            var services = builder.Services;
            services.AddSingleton(options);
            services.AddSingleton(time);
            services.AddSingleton(secrets);
            services.AddSingleton(store);
            services.AddSingleton<IBlobStore>(blobs);
            services.AddSingleton(accounts);
            services.AddSingleton(keys);
            services.AddSingleton(settings);
            services.AddSingleton(catalog);
            services.AddSingleton(new ServiceResolver(catalog));
            var policyCache = new PolicyCache();
            var iamStore = new IamStore(new EntityDocumentRepository(store));
            var credentials = new CredentialResolver(keys, secrets, time, iamStore, options.CacheLifetime);
            var iam = new IamContext(iamStore, keys, secrets, time, policyCache, credentials);
            var kms = new KmsKeyStore(new KmsKeyRepository(store), secrets, time);
            var organizations = new OrganizationContext(iam, accounts, settings);
            var authorizer = new PolicyAuthorizer(iamStore, policyCache, time, new ServiceControlPolicies(organizations), options.CacheLifetime);
            var s3 = new Services.S3.S3Context(new S3Repository(store), blobs, reclaimer, accounts, time, secrets, new Services.Iam.RootMfaCheck(iam), kms, authorizer)
            {
                LegacyBucketDefaults = options.S3LegacyBucketDefaults,
                BucketCacheLifetime = options.CacheLifetime ?? Cloudkeep.Services.S3.S3Context.DefaultBucketCacheLifetime,
            };
            services.AddSingleton(s3);
            var leases = new LeaseRepository(store);
            services.AddSingleton(leases);
            services.AddSingleton(reclaimer);
            services.AddHostedService<Background.BlobReclaimJob>();
            services.AddSingleton(new Services.S3.Lifecycle.LifecycleRunner(s3));
            services.AddHostedService<Background.LifecycleJob>();
            var serviceRoles = new Services.Sts.ServiceRoleSessions(iam);
            services.AddSingleton(new Services.S3.Replication.Replicator(s3, serviceRoles, authorizer));
            services.AddHostedService<Background.ReplicationJob>();
            services.AddSingleton(new Services.S3.Logging.AccessLogDelivery(s3));
            services.AddSingleton<Observability.S3AccessLogRecorder>();
            services.AddHostedService(provider => provider.GetRequiredService<Observability.S3AccessLogRecorder>());
            services.AddHostedService<Background.AccessLogJob>();
            services.AddSingleton(new S3CorsResponder(s3));
            var cloudTrailEvents = new CloudTrailRepository(store);
            services.AddSingleton(cloudTrailEvents);
            services.AddSingleton<AuditRecorder>();
            services.AddHostedService(provider => provider.GetRequiredService<AuditRecorder>());
            var sns = new Services.Sns.SnsContext(new SnsRepository(store), settings, secrets, time);
            services.AddSingleton(sns);
            var snsPublisher = new Services.Sns.SnsServicePublisher(sns);
            s3.Notifications = snsPublisher;
            // Alerts: rules judged when an event comes in, the outbox written in that step, delivery by a leased job.
            var alertSinks = new Alerts.AlertSinks(options.Alerts, dataDirectory, snsPublisher);
            services.AddSingleton(alertSinks);
            var alertOutbox = new AlertOutboxRepository(store);
            services.AddSingleton(alertOutbox);
            IReadOnlyList<AlertRule> alertRules = [.. BuiltInAlertRules.All, .. OperatorRules(options.Alerts.RulesFile)];
            services.AddSingleton(new AlertEngine(alertRules, new IamAlertFacts(iamStore), alertOutbox, [.. alertSinks.All.Select(s => s.Name)], time) { QuietLeases = leases });
            services.AddSingleton<Services.CloudTrail.IAuditEventObserver, Alerts.AuditAlertObserver>();
            services.AddSingleton(new AlertDelivery(alertOutbox, alertSinks.All, time) { FirstRetry = options.Alerts.FirstRetry, MaxAttempts = options.Alerts.MaxAttempts });
            services.AddHostedService<Background.AlertDeliveryJob>();
            // The security watch: `cloudkeep watch`'s checks over facts read through the operations in process, findings kept, new high ones alerted.
            var watchFindings = new WatchFindingsRepository(store);
            services.AddSingleton(watchFindings);
            services.AddSingleton<InProcessOperations>();
            services.AddSingleton<Watch.InProcessFactReader>();
            var watchBaseline = LoadWatchBaseline(options.Watch.EstateFile);
            services.AddSingleton(provider => new Watch.SecurityWatch(provider.GetRequiredService<Watch.InProcessFactReader>(), watchFindings, accounts,
                provider.GetRequiredService<AlertEngine>(), watchBaseline, options.Watch.Regions, time));
            services.AddHostedService<Background.SecurityWatchJob>();
            var route53 = new Services.Route53.Route53Context(new Route53Repository(store), time);
            services.AddSingleton(route53);
            // Nodes agree: other nodes' committed changes drop this node's cached entries (PostgreSQL LISTEN/NOTIFY).
            var changes = new Storage.Changes.ChangeBus();
            services.AddSingleton(changes);
            CacheInvalidation.Wire(changes, credentials, iamStore, s3, route53);
            if (store is PostgresMetadataStore postgres)
            {
                services.AddSingleton(postgres.CreateChangeListener(changes));
                services.AddHostedService<Background.ChangeListenerJob>();
            }

            if (dnsListen is not null)
            {
                services.AddSingleton(provider => new Dns.DnsListener(dnsListen, route53, provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<Services.Billing.UsageMeter>()));
                services.AddHostedService(provider => provider.GetRequiredService<Dns.DnsListener>());
            }

            var cloudTrail = new Services.CloudTrail.CloudTrailContext(cloudTrailEvents, s3, organizations, secrets, time) { DigestPeriod = options.TrailDigestInterval };
            services.AddSingleton(cloudTrail);
            services.AddSingleton(provider => new Services.CloudTrail.TrailDelivery(cloudTrail, provider.GetRequiredService<Services.Billing.UsageMeter>()));
            services.AddHostedService<Background.TrailDeliveryJob>();
            services.AddHostedService<Background.SnsDeliveryJob>();
            var logs = new Services.Logs.LogsContext(new LogsRepository(store), time);
            services.AddSingleton(logs);
            services.AddHostedService<Background.LogsRetentionJob>();
            var cloudWatch = new Services.CloudWatch.CloudWatchContext(new CloudWatchRepository(store), time) { Notifications = s3.Notifications };
            var alarms = new Services.CloudWatch.AlarmEvaluator(cloudWatch);
            services.AddSingleton(cloudWatch);
            services.AddSingleton(alarms);
            services.AddSingleton(new Services.CloudWatch.S3StorageMetrics(cloudWatch, s3.Repository));
            // Metering: counted on the request path, flushed by every node, stored sizes rolled up hourly under a lease, priced by the price list.
            var prices = LoadPriceList(options.PriceListFile);
            var usage = new UsageRepository(store);
            services.AddSingleton(new Services.Billing.UsageMeter(usage, time) { Enabled = options.Metering });
            services.AddSingleton<Observability.UsageRecorder>();
            services.AddHostedService<Background.UsageFlushJob>();
            services.AddSingleton(new Services.Billing.UsageRollup(usage, s3.Repository, settings));
            services.AddHostedService<Background.UsageRollupJob>();
            var costs = new Services.Billing.CostExplorerContext(usage, prices, organizations, time);
            services.AddSingleton(costs);
            var budgets = new Services.Budgets.BudgetsContext(new BudgetRepository(store), costs, time);
            services.AddSingleton(budgets);
            services.AddSingleton(budgets.Repository);
            services.AddSingleton(snsPublisher);
            services.AddSingleton(new Services.Budgets.BudgetEvaluator(budgets));
            services.AddHostedService<Background.BudgetEvaluationJob>();
            services.AddSingleton(new Services.CloudWatch.BillingMetrics(cloudWatch, options.Metering ? new Services.Billing.MeteredCharges(usage, prices) : null));
            services.AddSingleton(new Services.CloudWatch.MetricsMaintenance(cloudWatch));
            services.AddHostedService<Background.AlarmEvaluationJob>();
            services.AddHostedService<Background.MetricsMaintenanceJob>();

            services.AddSingleton(new OperationRegistry([.. ServiceCatalog.CreateHandlers(iam, organizations, kms, s3, route53), .. ServiceCatalog.CreateCloudTrailHandlers(cloudTrail), .. ServiceCatalog.CreateSnsHandlers(sns), .. ServiceCatalog.CreateLogsHandlers(logs), .. ServiceCatalog.CreateCloudWatchHandlers(cloudWatch, alarms.States), .. ServiceCatalog.CreateCostExplorerHandlers(costs), .. ServiceCatalog.CreateBudgetsHandlers(budgets)]));
            services.AddSingleton(credentials);
            var signingKeys = new SigningKeyCache();
            services.AddSingleton(new SigV4Verifier(signingKeys));
            services.AddSingleton(new S3PostUpload(credentials, signingKeys, time));
            services.AddSingleton<IRequestAuthorizer>(authorizer);
            services.AddSingleton<ServerMetrics>();
            services.AddSingleton(new ConsoleSignInRepository(store));
            services.AddSingleton(provider => new ConsoleSignIn(iam, accounts, provider.GetRequiredService<ConsoleSignInRepository>()));
            services.AddSingleton<WebConsole.ConsoleOperations>();
            services.AddSingleton<WebConsole.ConsoleApp>();
            WebConsole.RootAccessSetup.Add(services, iam, accounts, store, cloudTrailEvents, alertOutbox, options.AuditRecording);

            var app = builder.Build();
            if (options.AuditRecording)
            {
                serviceRoles.Recorder = app.Services.GetRequiredService<AuditRecorder>();
            }

            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cloudkeep");
            if (blobsUnreachable is not null)
            {
                RequestLog.BlobStoreUnreachable(logger, blobs.Description, blobsUnreachable);
            }
            else
            {
                var removed = await blobs.CollectAbandonedWritesAsync(AbandonedWriteAge(options), cancellationToken);
                if (removed > 0)
                {
                    RequestLog.CollectedTemporaryFiles(logger, removed);
                }
            }

            app.UseMiddleware<ClientAddressMiddleware>(options.TrustedProxies);
            MapAdminEndpoints(app, bootstrap, store);
            WebConsole.ConsoleApp.Map(app);
            app.UseMiddleware<RequestIdMiddleware>();
            app.UseMiddleware<ServiceResolutionMiddleware>();
            app.UseMiddleware<CorsPreflightMiddleware>();
            app.UseMiddleware<AuthenticationMiddleware>();
            app.UseMiddleware<DecodeMiddleware>();
            app.UseMiddleware<AuthorizationMiddleware>();
            app.Run(HandlerEndpoint.InvokeAsync);

            await app.StartAsync(cancellationToken);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            var address = ClientUri(bound.First(a => a.StartsWith(certificate is null ? "http://" : "https://", StringComparison.Ordinal)));
            var httpAddress = listenHttp is null ? null : ClientUri(bound.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
            var shown = address.ToString();
            sns.PublicBaseUrl = options.PublicUrl ?? shown;
            await WebConsole.RootAccessSetup.StartedAsync(app.Services, options.PublicUrl ?? shown, alertSinks.All.Select(s => s.Name), settings, cancellationToken);
            RequestLog.Started(logger, shown, dataDirectory, store.Engine, blobs.Description, bootstrap.ManagementAccountId);
            return new CloudkeepServer(app, store, blobs, bootstrap, address, httpAddress, certificate, dataDirectory);
        }
        catch
        {
            certificate?.Dispose();
            await store.DisposeAsync();
            (blobs as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// How old an unfinished write must be before a starting node removes it. A node on SQLite with the default store
    /// (&lt;data&gt;/blobs) is alone, so whatever is there was interrupted; otherwise another node may be writing to the
    /// same directory or bucket: a temporary file untouched for an hour (a live write touches it as it goes), a
    /// multipart upload begun a day ago (its start time does not move).
    /// </summary>
    private static TimeSpan AbandonedWriteAge(CloudkeepOptions options) =>
        options.Blobs.IsS3 ? TimeSpan.FromDays(1)
        : options.Blobs.Spec is null && string.IsNullOrWhiteSpace(options.Database) ? TimeSpan.Zero
        : TimeSpan.FromHours(1);

    private static Uri ClientUri(string bound) =>
        new(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));

    private static void MapAdminEndpoints(WebApplication app, BootstrapResult bootstrap, IMetadataStore store)
    {
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        var sns = app.Services.GetRequiredService<Services.Sns.SnsContext>();
        app.Map("/_cloudkeep", admin =>
        {
            admin.Run(async context =>
            {
                var path = context.Request.Path.Value;
                if (path is "/health" && HttpMethods.IsGet(context.Request.Method))
                {
                    context.Response.ContentType = "application/json";
                    await JsonSerializer.SerializeAsync(context.Response.Body, new HealthResponse("ok", bootstrap.ManagementAccountId, store.Engine), HealthJsonContext.Default.HealthResponse);
                    return;
                }

                // The certificate SNS messages name as SigningCertURL, for subscribers that verify signatures.
                if (path is not null && path.StartsWith("/sns/", StringComparison.Ordinal) && HttpMethods.IsGet(context.Request.Method)
                    && await sns.Signer.CertificatePemAsync(path["/sns/".Length..], context.RequestAborted) is { } pem)
                {
                    context.Response.ContentType = "application/x-pem-file";
                    await context.Response.WriteAsync(pem, context.RequestAborted);
                    return;
                }

                if (path is "/metrics" && HttpMethods.IsGet(context.Request.Method))
                {
                    context.Response.ContentType = "text/plain; version=0.0.4";
                    await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status404NotFound;
            });
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
        (Blobs as IDisposable)?.Dispose();
        Certificate?.Dispose();
    }
}
