using System.CommandLine;
using System.Globalization;
using Cloudkeep.Backup;
using Cloudkeep.Server.Assets;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Storage.Files;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep serve: runs one node until Ctrl-C or SIGTERM, then drains in-flight requests and closes the stores.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (CLOUDKEEP_DATA). Default: $XDG_DATA_HOME/cloudkeep or ~/.local/share/cloudkeep." };
        var listen = new Option<string?>("--listen") { Description = $"HOST:PORT to listen on (CLOUDKEEP_LISTEN). Default: {CloudkeepOptions.DefaultListen}." };
        var blobs = new Option<string?>("--blobs") { Description = "Where object bytes are kept (CLOUDKEEP_BLOBS): disk:DIR, a directory (one every node mounts, for many nodes), or s3://BUCKET[/PREFIX] on an S3-compatible store such as Ceph's RADOS Gateway. Default: disk:<data>/blobs." };
        var blobsEndpoint = new Option<string?>("--blobs-endpoint") { Description = "The S3-compatible blob backend's URL for --blobs s3://... (CLOUDKEEP_BLOBS_ENDPOINT), e.g. http://127.0.0.1:7480. Default: AWS's S3 in CLOUDKEEP_BLOBS_REGION (us-east-1)." };
        var blobsCredentials = new Option<string?>("--blobs-credentials") { Description = "An AWS-style credentials file (aws_access_key_id, aws_secret_access_key) for the blob backend, of mode 0600, else the start is refused (CLOUDKEEP_BLOBS_CREDENTIALS). Default: CLOUDKEEP_BLOBS_ACCESS_KEY_ID and CLOUDKEEP_BLOBS_SECRET_ACCESS_KEY, else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY." };
        var database = new Option<string?>("--database") { Description = "Metadata database (CLOUDKEEP_DATABASE): empty for SQLite in the data directory, or postgres://user:pass@host:port/db." };
        var accountId = new Option<string?>("--account-id") { Description = "The management account's 12-digit id on first start (CLOUDKEEP_ACCOUNT_ID). Default: random." };
        var tls = new Option<bool>("--tls") { Description = "Serve HTTPS (TLS 1.2+) on --listen (CLOUDKEEP_TLS=1). Without --tls-cert, a self-signed certificate is made and written to <data>/tls/cert.pem." };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate, then any intermediates (CLOUDKEEP_TLS_CERT); implies --tls." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The certificate's unencrypted PEM private key (CLOUDKEEP_TLS_KEY)." };
        var listenHttp = new Option<string?>("--listen-http") { Description = "An extra plain-http HOST:PORT beside the TLS listener (CLOUDKEEP_LISTEN_HTTP)." };
        var quiet = new Option<bool>("--no-request-log") { Description = "Do not log one line per request." };
        var assetsListen = new Option<string?>("--assets-listen") { Description = $"HOST:PORT of the assets router (CLOUDKEEP_ASSETS_LISTEN). Default: the config's listen, else {AssetsOptions.DefaultListen}. Needs --assets-config." };
        var assetsConfig = new Option<string?>("--assets-config") { Description = "The assets router's YAML mapping (CLOUDKEEP_ASSETS_CONFIG): buckets, default, prefixes, not-found-page, allow-ips, ... Without it no assets router runs." };
        var dnsListen = new Option<string?>("--dns-listen") { Description = "HOST:PORT of the DNS listener (UDP and TCP) answering for the public Route 53 hosted zones (CLOUDKEEP_DNS_LISTEN), e.g. 127.0.0.1:5353. Default: none." };
        var lifecycleInterval = new Option<int?>("--lifecycle-interval") { Description = "Seconds between passes of the S3 lifecycle job (CLOUDKEEP_LIFECYCLE_INTERVAL). Default: 600; 0 turns it off." };
        var legacyBuckets = new Option<bool>("--s3-legacy-bucket-defaults") { Description = "New S3 buckets start as S3 made them before April 2023: ACLs enabled (ObjectWriter), no public access block, SSE-C allowed (CLOUDKEEP_S3_LEGACY_BUCKET_DEFAULTS=1)." };
        var accessLogInterval = new Option<double?>("--access-log-interval") { Description = "Seconds between deliveries of S3 server access logs to their target buckets (CLOUDKEEP_ACCESS_LOG_INTERVAL). Default: 60; 0 turns delivery off on this node." };
        var trailInterval = new Option<double?>("--trail-delivery-interval") { Description = "Seconds between deliveries of CloudTrail log files to the trails' buckets (CLOUDKEEP_TRAIL_DELIVERY_INTERVAL). Default: 60; 0 turns delivery off on this node." };
        var digestInterval = new Option<double?>("--trail-digest-interval") { Description = "Seconds one CloudTrail digest file covers (CLOUDKEEP_TRAIL_DIGEST_INTERVAL). Default: 3600, as in AWS." };
        var noAudit = new Option<bool>("--no-audit-record") { Description = "Do not record requests as CloudTrail events (CLOUDKEEP_NO_AUDIT_RECORD=1); only for measuring what recording costs. Default: every request is recorded." };
        var snsDeliveryInterval = new Option<double?>("--sns-delivery-interval") { Description = "Seconds between the SNS delivery job's polls for due retries (CLOUDKEEP_SNS_DELIVERY_INTERVAL); a publish wakes it at once. Default: 1; 0 turns delivery off on this node." };
        var logsRetentionInterval = new Option<double?>("--logs-retention-interval") { Description = "Seconds between passes deleting CloudWatch Logs events older than their group's retention (CLOUDKEEP_LOGS_RETENTION_INTERVAL). Default: 600; 0 turns it off on this node." };
        var publicUrl = new Option<string?>("--public-url") { Description = "The address others reach this server at, e.g. behind a load balancer (CLOUDKEEP_PUBLIC_URL); SNS puts it in its messages' links. Default: the listener's address." };
        var replicationInterval = new Option<double?>("--replication-interval") { Description = "Seconds between the S3 replicator's polls for due retries (CLOUDKEEP_REPLICATION_INTERVAL); writes wake it at once. Default: 1; 0 turns replication off on this node." };

        var trustedProxy = new Option<string[]>("--trusted-proxy") { Description = "Address or CIDR range of a reverse proxy whose X-Forwarded-For is believed for aws:SourceIp, API and console alike (CLOUDKEEP_TRUSTED_PROXY, comma-separated); repeatable. Default: none.", AllowMultipleArgumentsPerToken = false };
        var smtp = new Option<string?>("--smtp") { Description = "HOST:PORT of the SMTP server alerts and SNS e-mail subscriptions are sent through (CLOUDKEEP_SMTP; CLOUDKEEP_SMTP_USER and CLOUDKEEP_SMTP_PASSWORD to sign in). Default: none; alerts are written as .eml files to <data>/outbox." };
        var alertFrom = new Option<string?>("--alert-from") { Description = "The From address of alert e-mails (CLOUDKEEP_ALERT_FROM). Default: cloudkeep@localhost." };
        var alertTo = new Option<string[]>("--alert-to") { Description = "An address alert e-mails go to (CLOUDKEEP_ALERT_TO, comma-separated). May be repeated." };
        var alertSnsTopic = new Option<string[]>("--alert-sns-topic") { Description = "An SNS topic ARN each alert is published to (CLOUDKEEP_ALERT_SNS_TOPICS, comma-separated), as an EventBridge rule target: the topic policy must allow events.amazonaws.com. May be repeated." };
        var alertWebhook = new Option<string[]>("--alert-webhook") { Description = "A URL each alert is POSTed to as JSON (CLOUDKEEP_ALERT_WEBHOOKS, comma-separated), signed with CLOUDKEEP_ALERT_WEBHOOK_SECRET in X-Cloudkeep-Signature-256. May be repeated." };
        var alertRules = new Option<string?>("--alert-rules") { Description = "A JSON file of the operator's alert rules (EventBridge event patterns), added to the built-in security rules (CLOUDKEEP_ALERT_RULES)." };

        var alarmInterval = new Option<double?>("--alarm-evaluation-interval") { Description = "Seconds between evaluations of the CloudWatch alarms (CLOUDKEEP_ALARM_EVALUATION_INTERVAL). Default: 60, as on AWS; 0 turns evaluation off on this node." };
        var budgetInterval = new Option<double?>("--budget-evaluation-interval") { Description = "Seconds between evaluations of the budgets' notifications, which send their alerts (CLOUDKEEP_BUDGET_EVALUATION_INTERVAL). Default: 3600; 0 turns evaluation off on this node." };
        var watchInterval = new Option<double?>("--watch-interval") { Description = "Seconds between passes of the security watch over every account, the checks of `cloudkeep watch` (CLOUDKEEP_WATCH_INTERVAL). Default: 86400 (daily); 0 turns it off on this node." };
        var watchRegion = new Option<string[]>("--watch-region") { Description = "A region whose KMS keys and trails the security watch reads, besides the buckets' regions (CLOUDKEEP_WATCH_REGIONS, comma-separated). May be repeated. Default: us-east-1." };
        var watchEstate = new Option<string?>("--watch-estate") { Description = "An estate file whose password policies and replicated buckets are the security watch's baseline, as `cloudkeep watch --estate` (CLOUDKEEP_WATCH_ESTATE)." };
        var noMetering = new Option<bool>("--no-metering") { Description = "Do not meter usage for Cost Explorer and AWS/Billing (CLOUDKEEP_METERING=0); only for measuring what metering costs. Default: usage is metered." };
        var priceList = new Option<string?>("--price-list") { Description = "A JSON price list to cost metered usage with, in place of the one shipped (CLOUDKEEP_PRICE_LIST); same format as src/Cloudkeep.Services/Billing/price-list.json." };
        var backupJobs = new Option<string?>("--backup-jobs") { Description = "A JSON file of database backup jobs to run on cron schedules, one at a time, as `cloudkeep backup run` does (CLOUDKEEP_BACKUP_JOBS)." };
        var command = new Command("serve", "Run the Cloudkeep server on its embedded defaults (SQLite + local disk), or with --database and --blobs as one of many nodes.")
        {
            data, listen, database, blobs, blobsEndpoint, blobsCredentials, accountId, tls, tlsCert, tlsKey, listenHttp, quiet, lifecycleInterval, replicationInterval, accessLogInterval, legacyBuckets, assetsListen, assetsConfig, dnsListen, noAudit, trailInterval, digestInterval,
            snsDeliveryInterval, publicUrl, logsRetentionInterval, trustedProxy,
            smtp, alertFrom, alertTo, alertWebhook, alertSnsTopic, alertRules, watchInterval, watchRegion, watchEstate, backupJobs, alarmInterval, budgetInterval, noMetering, priceList,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The assets configuration is read and checked before anything is created or bound.
            AssetsOptions? assets;
            IReadOnlyList<System.Net.IPNetwork> trusted;
            IReadOnlyList<BackupJob> jobs;
            try
            {
                var proxies = parse.GetValue(trustedProxy) is { Length: > 0 } given ? given : (Env("CLOUDKEEP_TRUSTED_PROXY") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                trusted = CloudkeepOptions.ParseTrustedProxies(proxies);
                assets = LoadAssets(parse.GetValue(assetsListen) ?? Env("CLOUDKEEP_ASSETS_LISTEN"), parse.GetValue(assetsConfig) ?? Env("CLOUDKEEP_ASSETS_CONFIG"));
                jobs = (parse.GetValue(backupJobs) ?? Env("CLOUDKEEP_BACKUP_JOBS")) is { } jobsFile ? BackupJobsFile.Load(jobsFile) : [];
            }
            catch (Exception e) when (e is ArgumentException or BackupException)
            {
                await Console.Error.WriteLineAsync($"cloudkeep: {e.Message}");
                return 2;
            }

            var options = new CloudkeepOptions
            {
                DataDirectory = parse.GetValue(data) ?? Env("CLOUDKEEP_DATA") ?? DataDirectory.Default(),
                Listen = parse.GetValue(listen) ?? Env("CLOUDKEEP_LISTEN") ?? CloudkeepOptions.DefaultListen,
                Database = parse.GetValue(database) ?? Env("CLOUDKEEP_DATABASE"),
                Blobs = Storage.Blobs.BlobStoreOptions.FromEnvironment(parse.GetValue(blobs), parse.GetValue(blobsEndpoint), parse.GetValue(blobsCredentials)),
                AccountId = parse.GetValue(accountId) ?? Env("CLOUDKEEP_ACCOUNT_ID"),
                RootAccessKeyId = Env("CLOUDKEEP_ROOT_ACCESS_KEY_ID"),
                RootSecretAccessKey = Env("CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"),
                MasterKey = Env("CLOUDKEEP_MASTER_KEY"),
                Tls = parse.GetValue(tls) || Env("CLOUDKEEP_TLS") is "1" or "true",
                TlsCertificateFile = parse.GetValue(tlsCert) ?? Env("CLOUDKEEP_TLS_CERT"),
                TlsKeyFile = parse.GetValue(tlsKey) ?? Env("CLOUDKEEP_TLS_KEY"),
                ListenHttp = parse.GetValue(listenHttp) ?? Env("CLOUDKEEP_LISTEN_HTTP"),
                RequestLogging = !parse.GetValue(quiet),
                TrailDeliveryInterval = TimeSpan.FromSeconds(parse.GetValue(trailInterval)
                    ?? (double.TryParse(Env("CLOUDKEEP_TRAIL_DELIVERY_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var trail) ? trail : 60)),
                TrailDigestInterval = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(digestInterval)
                    ?? (double.TryParse(Env("CLOUDKEEP_TRAIL_DIGEST_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var digest) ? digest : 3600))),
                AuditRecording = !(parse.GetValue(noAudit) || Env("CLOUDKEEP_NO_AUDIT_RECORD") is "1" or "true"),
                Assets = assets,
                DnsListen = parse.GetValue(dnsListen) ?? Env("CLOUDKEEP_DNS_LISTEN"),
                TrustedProxies = trusted,
                LifecycleInterval = TimeSpan.FromSeconds(parse.GetValue(lifecycleInterval)
                    ?? (int.TryParse(Env("CLOUDKEEP_LIFECYCLE_INTERVAL"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 600)),
                S3LegacyBucketDefaults = parse.GetValue(legacyBuckets) || Env("CLOUDKEEP_S3_LEGACY_BUCKET_DEFAULTS") is "1" or "true",
                AccessLogInterval = TimeSpan.FromSeconds(parse.GetValue(accessLogInterval)
                    ?? (double.TryParse(Env("CLOUDKEEP_ACCESS_LOG_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var accessLog) ? accessLog : 60)),
                ReplicationInterval = TimeSpan.FromSeconds(parse.GetValue(replicationInterval)
                    ?? (double.TryParse(Env("CLOUDKEEP_REPLICATION_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var replication) ? replication : 1)),
                Alerts = new Server.Alerts.AlertOptions
                {
                    Smtp = parse.GetValue(smtp) ?? Env("CLOUDKEEP_SMTP"),
                    SmtpUser = Env("CLOUDKEEP_SMTP_USER"),
                    SmtpPassword = Env("CLOUDKEEP_SMTP_PASSWORD"),
                    From = parse.GetValue(alertFrom) ?? Env("CLOUDKEEP_ALERT_FROM") ?? "cloudkeep@localhost",
                    To = List(parse.GetValue(alertTo), "CLOUDKEEP_ALERT_TO"),
                    Webhooks = List(parse.GetValue(alertWebhook), "CLOUDKEEP_ALERT_WEBHOOKS"),
                    WebhookSecret = Env("CLOUDKEEP_ALERT_WEBHOOK_SECRET"),
                    SnsTopics = List(parse.GetValue(alertSnsTopic), "CLOUDKEEP_ALERT_SNS_TOPICS"),
                    RulesFile = parse.GetValue(alertRules) ?? Env("CLOUDKEEP_ALERT_RULES"),
                },
                SnsDeliveryInterval = TimeSpan.FromSeconds(parse.GetValue(snsDeliveryInterval)
                    ?? (double.TryParse(Env("CLOUDKEEP_SNS_DELIVERY_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var snsDelivery) ? snsDelivery : 1)),
                PublicUrl = parse.GetValue(publicUrl) ?? Env("CLOUDKEEP_PUBLIC_URL"),
                LogsRetentionInterval = TimeSpan.FromSeconds(parse.GetValue(logsRetentionInterval)
                    ?? (double.TryParse(Env("CLOUDKEEP_LOGS_RETENTION_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var logsRetention) ? logsRetention : 600)),
                AlarmEvaluationInterval = TimeSpan.FromSeconds(parse.GetValue(alarmInterval)
                    ?? (double.TryParse(Env("CLOUDKEEP_ALARM_EVALUATION_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var alarmEvaluation) ? alarmEvaluation : 60)),
                BudgetEvaluationInterval = TimeSpan.FromSeconds(parse.GetValue(budgetInterval)
                    ?? (double.TryParse(Env("CLOUDKEEP_BUDGET_EVALUATION_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var budgetEvaluation) ? budgetEvaluation : 3600)),
                Metering = !parse.GetValue(noMetering) && Env("CLOUDKEEP_METERING") != "0",
                PriceListFile = parse.GetValue(priceList) ?? Env("CLOUDKEEP_PRICE_LIST"),
                Watch = new SecurityWatchOptions
                {
                    Interval = TimeSpan.FromSeconds(parse.GetValue(watchInterval)
                        ?? (double.TryParse(Env("CLOUDKEEP_WATCH_INTERVAL"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var watchSeconds) ? watchSeconds : 86400)),
                    Regions = List(parse.GetValue(watchRegion), "CLOUDKEEP_WATCH_REGIONS") is { Length: > 0 } watchRegions ? watchRegions : SecurityWatchOptions.DefaultRegions,
                    EstateFile = parse.GetValue(watchEstate) ?? Env("CLOUDKEEP_WATCH_ESTATE"),
                },
            };
            return await RunAsync(options, jobs, cancellationToken);
        });
        return command;
    }

    /// <summary>A repeated option's values, else the environment variable's comma-separated ones.</summary>
    private static string[] List(string[]? values, string variable) =>
        values is { Length: > 0 } ? values : (Env(variable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<int> RunAsync(CloudkeepOptions options, IReadOnlyList<BackupJob> jobs, CancellationToken cancellationToken)
    {
        Console.Out.WriteLine($"cloudkeep: data directory {Path.GetFullPath(options.DataDirectory)}");
        CloudkeepServer server;
        try
        {
            server = await CloudkeepServer.StartAsync(options, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"cloudkeep: {e.Message}");
            return 2;
        }

        await using (server)
        {
            var bootstrap = server.Bootstrap;
            if (bootstrap.Created)
            {
                WriteRootKey(server);
            }

            if (server.Certificate is { } certificate)
            {
                var kind = certificate.SelfSigned ? "self-signed certificate" : "certificate";
                Console.Out.WriteLine($"cloudkeep: TLS {kind} {certificate.CertificateFile} (SHA-256 {certificate.Sha256Fingerprint}, until {certificate.Certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
                if (certificate.SelfSigned)
                {
                    Console.Out.WriteLine($"  trust it with AWS_CA_BUNDLE={certificate.CertificateFile} (SSL_CERT_FILE, s3cmd --ca-certs, rclone --ca-cert)");
                }
            }

            if (server.HttpAddress is { } httpAddress)
            {
                Console.Out.WriteLine($"cloudkeep: plain http also on {httpAddress}");
            }

            if (server.AssetsAddress is { } assetsAddress)
            {
                var assets = options.Assets!;
                Console.Out.WriteLine($"cloudkeep: assets router on {assetsAddress} ({assets.Upstream switch { AssetsUpstream.Proxy => "proxy", _ => "in-process" }}; {string.Join(", ", assets.Buckets.Keys)}; default {assets.Default.Name}{(assets.Prefixes.Count > 0 ? "; prefixes " + string.Join(", ", assets.Prefixes.Select(p => p.Prefix)) : "")})");
            }

            Console.Out.WriteLine($"cloudkeep: ready on {server.Address} (account {bootstrap.ManagementAccountId}, metadata {server.Engine})");
            using var stopJobs = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var backups = jobs.Count > 0 ? new BackupJobsHost(jobs, server).RunAsync(stopJobs.Token) : Task.CompletedTask;
            if (jobs.Count > 0)
            {
                Console.Out.WriteLine($"cloudkeep: backup jobs {string.Join(", ", jobs.Select(j => $"{j.Name} ({j.Schedule})"))}");
            }

            try
            {
                await server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C through System.CommandLine: fall through to the orderly stop below.
            }

            await stopJobs.CancelAsync();
            try
            {
                await backups;
            }
            catch (OperationCanceledException)
            {
                // The scheduler was waiting for the next run.
            }

            Console.Out.WriteLine("cloudkeep: stopping");
        }

        return 0;
    }

    /// <summary>
    /// A secret the operator supplied is never echoed: they have it already, and standard output often ends up in
    /// a log. A generated one is shown once, on the start that made it, and only on a terminal; otherwise only the
    /// 0600 credentials file has it.
    /// </summary>
    private static void WriteRootKey(CloudkeepServer server)
    {
        var bootstrap = server.Bootstrap;
        Console.Out.WriteLine($"cloudkeep: created management account {bootstrap.ManagementAccountId} and its root access key");
        Console.Out.WriteLine($"  aws_access_key_id     = {bootstrap.RootAccessKeyId}");
        if (bootstrap.NewRootSecret is null)
        {
            Console.Out.WriteLine("  aws_secret_access_key: the one given in CLOUDKEEP_ROOT_SECRET_ACCESS_KEY (not shown)");
        }
        else if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine("  aws_secret_access_key: not shown, as standard output is not a terminal; read it from the file below");
        }
        else
        {
            Console.Out.WriteLine($"  aws_secret_access_key = {bootstrap.NewRootSecret}");
        }

        Console.Out.WriteLine($"  saved to {bootstrap.CredentialsFile} (profile cloudkeep-root)");
    }

    private static AssetsOptions? LoadAssets(string? listen, string? file)
    {
        if (file is null)
        {
            return listen is null ? null : throw new ArgumentException("--assets-listen needs --assets-config FILE (the bucket mapping).");
        }

        return AssetsConfig.Load(file, listen);
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
