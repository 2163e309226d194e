using System.Text.Json;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Policy;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Services.Iam;
using Cloudkeep.Storage.Files;
using Cloudkeep.Storage.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Root's sign-in and password reset in a server (<see cref="Add"/>, <see cref="StartedAsync"/>), and
/// the operator's <c>cloudkeep root-reset</c> (<see cref="RequestByOperatorAsync"/>), which opens the
/// data directory's store directly on the server's own machine: it is not a network API.
/// </summary>
public static class RootAccessSetup
{
    /// <summary>The base URL of the links, as the last server started on this store made them (--public-url, else its listener).</summary>
    public const string PublicUrlSetting = "console_public_url";

    /// <summary>The alert sinks of the last server started on this store, so the operator's command raises its alert to the same ones.</summary>
    public const string AlertSinksSetting = "alert_sink_names";

    /// <summary>Root's sign-in, the reset and the sign-in events; ConsoleLogin events are queued with the API's unless recording is off (then stored at once).</summary>
    internal static void Add(IServiceCollection services, IamContext iam, AccountRepository accounts, IMetadataStore store, CloudTrailRepository cloudTrail, AlertOutboxRepository alertOutbox, bool queueSignIns)
    {
        var roots = new RootSignInRepository(store);
        services.AddSingleton(roots);
        services.AddSingleton(provider => new SignInEvents(cloudTrail, provider.GetRequiredService<AlertEngine>(), queueSignIns ? provider.GetRequiredService<Observability.AuditRecorder>() : null));
        services.AddSingleton(provider => new RootSignIn(iam, accounts, roots, provider.GetRequiredService<ConsoleSignIn>(), provider.GetRequiredService<SignInEvents>()));
        services.AddSingleton(provider => new RootPasswordReset(iam, accounts, roots, alertOutbox, provider.GetRequiredService<SignInEvents>()));
        services.AddHostedService<Background.RootResetMailJob>();
    }

    /// <summary>Once the listener is bound: the links' base, and what the operator's command needs to make the same links and alerts.</summary>
    internal static async Task StartedAsync(IServiceProvider services, string publicBaseUrl, IEnumerable<string> sinkNames, SettingsRepository settings, CancellationToken cancellationToken)
    {
        services.GetRequiredService<RootPasswordReset>().PublicBaseUrl = publicBaseUrl;
        await settings.SetAsync(PublicUrlSetting, publicBaseUrl, cancellationToken);
        await settings.SetAsync(AlertSinksSetting, JsonSerializer.Serialize(sinkNames.ToArray()), cancellationToken);
    }

    /// <summary>
    /// Makes a reset link for the account's root user without mail: records PasswordRecoveryRequested
    /// and raises its alert into the store's outbox (to the sinks the last server started here had;
    /// a running server delivers it within seconds, else the next start does), then returns the link.
    /// </summary>
    public static async Task<RootResetLink> RequestByOperatorAsync(
        string dataDirectory, string? database, string? masterKey, string? publicUrl, string accountId, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!Directory.Exists(dataDirectory) || (string.IsNullOrEmpty(masterKey) && !File.Exists(Path.Combine(dataDirectory, SecretFiles.MasterKeyFileName))))
        {
            throw new ArgumentException($"{dataDirectory} is not a Cloudkeep data directory (it has no {SecretFiles.MasterKeyFileName}, and CLOUDKEEP_MASTER_KEY is not set).");
        }

        var secrets = new SecretBox(SecretFiles.LoadOrCreateMasterKey(dataDirectory, masterKey));
        await using var store = MetadataStoreFactory.Create(database, dataDirectory);
        await store.MigrateAsync(time, cancellationToken);
        var settings = new SettingsRepository(store);
        if (await settings.GetAsync(Services.Bootstrap.EstateBootstrapper.ManagementAccountSetting, cancellationToken) is null)
        {
            throw new ArgumentException($"{dataDirectory} holds no estate yet: start `cloudkeep serve` on it once first.");
        }

        var iamStore = new IamStore(new EntityDocumentRepository(store));
        var keys = new AccessKeyRepository(store);
        var iam = new IamContext(iamStore, keys, secrets, time, new PolicyCache(), new CredentialResolver(keys, secrets, time, iamStore));
        var outbox = new AlertOutboxRepository(store);
        var sinks = await settings.GetAsync(AlertSinksSetting, cancellationToken) is { } stored ? JsonSerializer.Deserialize<string[]>(stored) ?? ["email"] : ["email"];
        var engine = new AlertEngine(BuiltInAlertRules.All, new IamAlertFacts(iamStore), outbox, sinks, time);
        var reset = new RootPasswordReset(iam, new AccountRepository(store), new RootSignInRepository(store), outbox, new SignInEvents(new CloudTrailRepository(store), engine, recorder: null))
        {
            PublicBaseUrl = publicUrl ?? await settings.GetAsync(PublicUrlSetting, cancellationToken) ?? "http://" + Hosting.CloudkeepOptions.DefaultListen,
        };
        return await reset.RequestByOperatorAsync(accountId, "cloudkeep root-reset", cancellationToken);
    }
}
