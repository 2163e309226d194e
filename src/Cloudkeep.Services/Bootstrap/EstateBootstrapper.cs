using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Identity;
using Cloudkeep.Services.Iam;
using Cloudkeep.Storage.Files;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Bootstrap;

/// <summary>
/// First start: the management account, its root user and one root access key (written to
/// &lt;data&gt;/root-credentials, 0600). Later starts find everything and create nothing.
/// </summary>
public sealed class EstateBootstrapper
{
    public const string ManagementAccountSetting = "management_account_id";
    public const string MasterKeyCheckSetting = "master_key_check";

    private readonly AccountRepository _accounts;
    private readonly AccessKeyRepository _keys;
    private readonly SettingsRepository _settings;
    private readonly SecretBox _secrets;
    private readonly TimeProvider _time;

    public EstateBootstrapper(AccountRepository accounts, AccessKeyRepository keys, SettingsRepository settings, SecretBox secrets, TimeProvider time)
    {
        _accounts = accounts;
        _keys = keys;
        _settings = settings;
        _secrets = secrets;
        _time = time;
    }

    /// <summary>
    /// The management account's root address when nobody gave one: a unique stand-in in the reserved
    /// .invalid domain, which no mail reaches (so root's password is reset with `cloudkeep root-reset`).
    /// </summary>
    public static string PlaceholderEmail(string accountId) => $"root+{accountId}@cloudkeep.invalid";

    public async Task<BootstrapResult> RunAsync(BootstrapOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AccountId is { } requested && !AccountIds.IsValid(requested))
        {
            throw new ArgumentException($"The account id must be 12 digits, not '{requested}'.");
        }

        await CheckMasterKeyAsync(cancellationToken);
        var existing = await _settings.GetAsync(ManagementAccountSetting, cancellationToken);
        if (existing is not null)
        {
            if (options.AccountId is { } wanted && wanted != existing)
            {
                throw new InvalidOperationException(
                    $"This data directory already holds management account {existing}; it cannot become {wanted}.");
            }

            return new BootstrapResult(existing, Created: false, null, null, null);
        }

        var accountId = await _settings.GetOrSetAsync(ManagementAccountSetting, options.AccountId ?? AccountIds.NewRandom(), cancellationToken);
        var now = _time.GetUtcNow();
        var created = await _accounts.TryCreateAsync(
            new AccountRecord(accountId, "management", PlaceholderEmail(accountId), "ACTIVE", IsManagement: true, now),
            cancellationToken);
        if (!created)
        {
            // Another node bootstrapped at the same moment; it owns the root key.
            return new BootstrapResult(accountId, Created: false, null, null, null);
        }

        var (keyId, secret, supplied) = ChooseRootKey(options);
        await _keys.CreateAsync(
            new AccessKeyRecord(keyId, accountId, UserName: null, _secrets.SealString(secret, CredentialResolver.SecretPurpose), AccessKeyStatus.Active, now),
            cancellationToken);
        var file = SecretFiles.WriteRootCredentials(options.DataDirectory, keyId, secret);
        return new BootstrapResult(accountId, Created: true, keyId, supplied ? null : secret, file);
    }

    /// <summary>
    /// Every node of an estate must seal with the same master key. A sealed marker written by the
    /// first node lets a node with another key refuse to start, instead of failing on every request.
    /// </summary>
    private async Task CheckMasterKeyAsync(CancellationToken cancellationToken)
    {
        const string Purpose = "cloudkeep:master-key-check";
        var marker = await _settings.GetOrSetAsync(MasterKeyCheckSetting, _secrets.SealString("cloudkeep", Purpose), cancellationToken);
        try
        {
            _secrets.OpenString(marker, Purpose);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
        {
            throw new InvalidOperationException(
                "The master key does not open this estate's secrets: every node must use the same master key (CLOUDKEEP_MASTER_KEY or <data>/master.key).", e);
        }
    }

    private static (string KeyId, string Secret, bool Supplied) ChooseRootKey(BootstrapOptions options)
    {
        if (!string.IsNullOrEmpty(options.RootAccessKeyId) || !string.IsNullOrEmpty(options.RootSecretAccessKey))
        {
            if (string.IsNullOrEmpty(options.RootAccessKeyId) || string.IsNullOrEmpty(options.RootSecretAccessKey))
            {
                throw new ArgumentException("CLOUDKEEP_ROOT_ACCESS_KEY_ID and CLOUDKEEP_ROOT_SECRET_ACCESS_KEY must be set together.");
            }

            if (!AwsIds.LooksLikeAccessKeyId(options.RootAccessKeyId))
            {
                throw new ArgumentException("CLOUDKEEP_ROOT_ACCESS_KEY_ID must be 16 to 128 letters and digits.");
            }

            if (options.RootSecretAccessKey.Length < 16)
            {
                throw new ArgumentException("CLOUDKEEP_ROOT_SECRET_ACCESS_KEY must be at least 16 characters.");
            }

            return (options.RootAccessKeyId, options.RootSecretAccessKey, true);
        }

        return (AwsIds.NewAccessKeyId(), AwsIds.NewSecretAccessKey(), false);
    }
}
