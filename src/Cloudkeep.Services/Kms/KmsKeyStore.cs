using System.Security.Cryptography;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms;

/// <summary>
/// KMS's domain over the key repository: ARNs, resolving every form of key reference, key states,
/// and key material (generated from a CSPRNG, sealed under the master key, opened only in memory).
/// </summary>
public sealed class KmsKeyStore
{
    public const int DefaultRotationPeriodDays = 365;

    private readonly SecretBox _secrets;

    public KmsKeyStore(KmsKeyRepository repository, SecretBox secrets, TimeProvider time)
    {
        Repository = repository;
        _secrets = secrets;
        Time = time;
    }

    public KmsKeyRepository Repository { get; }

    public TimeProvider Time { get; }

    public KmsKeyPolicies Policies { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    public static string KeyArn(KmsKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return KeyArn(key.Region, key.AccountId, key.KeyId);
    }

    public static string KeyArn(string region, string accountId, string keyId) => $"arn:aws:kms:{region}:{accountId}:key/{keyId}";

    public static string AliasArn(string region, string accountId, string aliasName) => $"arn:aws:kms:{region}:{accountId}:{aliasName}";

    /// <summary>
    /// Finds the key a KeyId parameter names: a key id, a key ARN and, where the operation accepts
    /// them (<paramref name="allowAlias"/>), an alias name or alias ARN. Bare ids and alias names
    /// are looked up in the caller's account and the request's region. NotFoundException otherwise.
    /// </summary>
    public async Task<KmsKeyRecord> ResolveAsync(OperationRequest request, string reference, bool allowAlias, CancellationToken cancellationToken, bool createsAwsManaged = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reference);
        var account = request.Caller.AccountId;
        var region = request.Region;
        string? keyId = null;
        string? aliasName = null;
        if (reference.StartsWith("arn:", StringComparison.Ordinal))
        {
            // arn:partition:kms:region:account:key/id or :alias/name
            var parts = reference.Split(':', 6);
            if (parts.Length != 6 || parts[2] != "kms" || parts[3] != region || parts[4].Length != 12)
            {
                throw InvalidKeyId(reference);
            }

            account = parts[4];
            if (parts[5].StartsWith("key/", StringComparison.Ordinal))
            {
                keyId = parts[5][4..];
            }
            else if (parts[5].StartsWith("alias/", StringComparison.Ordinal) && allowAlias)
            {
                aliasName = parts[5];
            }
            else
            {
                throw InvalidKeyId(reference);
            }
        }
        else if (reference.StartsWith("alias/", StringComparison.Ordinal))
        {
            if (!allowAlias)
            {
                throw InvalidKeyId(reference);
            }

            aliasName = reference;
        }
        else
        {
            keyId = reference;
        }

        if (aliasName is not null)
        {
            var alias = await Repository.GetAliasAsync(account, region, aliasName, cancellationToken);
            var target = alias is null ? null : await FindAsync(alias.KeyId, cancellationToken);

            // "If you call the DescribeKey operation on a predefined AWS alias, that is, an AWS alias
            // with no key ID, AWS KMS creates an AWS managed key" (DescribeKey); of those, Cloudkeep's
            // services use aws/s3.
            if (target is null && createsAwsManaged && account == request.Caller.AccountId
                && aliasName.StartsWith(KmsAliases.ReservedPrefix, StringComparison.Ordinal) && AwsManagedServices.Contains(aliasName[KmsAliases.ReservedPrefix.Length..]))
            {
                target = await AwsManagedKeyAsync(account, region, aliasName[KmsAliases.ReservedPrefix.Length..], cancellationToken);
            }

            return target ?? throw KmsErrors.NotFound.ToException($"Alias '{AliasArn(region, account, aliasName)}' is not found.");
        }

        if (!IsKeyId(keyId!))
        {
            throw InvalidKeyId(reference);
        }

        var key = await FindAsync(keyId!, cancellationToken);
        return key is not null && key.AccountId == account && key.Region == region
            ? key
            : throw KmsErrors.NotFound.ToException($"Key '{KeyArn(region, account, keyId!)}' does not exist");
    }

    /// <summary>A key by id; a key whose deletion window has ended is gone (its rows are removed on the next write path).</summary>
    public async Task<KmsKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var key = await Repository.GetKeyAsync(keyId, cancellationToken);
        return key is null || IsDeleted(key) ? null : key;
    }

    public bool IsDeleted(KmsKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.KeyState == KmsKeyState.PendingDeletion && key.DeletionDate is { } when && when <= Now;
    }

    public static bool IsKeyId(string value) =>
        value.Length == 36 && Guid.TryParseExact(value, "D", out var id) && id.ToString("D") == value;

    /// <summary>Cryptographic operations need an enabled key (AWS: "Key states of AWS KMS keys").</summary>
    public static void EnsureUsable(KmsKeyRecord key)
    {
        EnsureNotPendingDeletion(key);
        if (key.KeyState == KmsKeyState.Disabled)
        {
            throw KmsErrors.Disabled.ToException($"{KeyArn(key)} is disabled.");
        }
    }

    public static void EnsureNotPendingDeletion(KmsKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeyState == KmsKeyState.PendingDeletion)
        {
            throw KmsErrors.InvalidState.ToException($"{KeyArn(key)} is pending deletion.");
        }
    }

    /// <summary>New key material: 32 bytes from the CSPRNG, returned sealed; the clear bytes are wiped.</summary>
    public string NewSealedMaterial(string keyId, int version)
    {
        var material = RandomNumberGenerator.GetBytes(KmsCiphertext.MaterialSize);
        try
        {
            return Convert.ToBase64String(_secrets.Seal(material, MaterialPurpose(keyId, version)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>The clear material of one version, or null when that version does not exist.</summary>
    public async Task<byte[]?> OpenMaterialAsync(string keyId, int version, CancellationToken cancellationToken)
    {
        var record = await Repository.GetMaterialAsync(keyId, version, cancellationToken);
        return record is null ? null : _secrets.Open(Convert.FromBase64String(record.MaterialSealed), MaterialPurpose(keyId, version));
    }

    /// <summary>
    /// The material new ciphertexts use. Automatic rotation happens here, lazily: a key whose
    /// rotation date has passed gets its next material version before it is used.
    /// </summary>
    public async Task<(int Version, byte[] Material)> CurrentMaterialAsync(KmsKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var version = key.CurrentMaterialVersion;
        if (key.RotationEnabled && key.NextRotationAt is { } due && due <= Now)
        {
            version = await RotateAsync(key, cancellationToken);
        }

        var material = await OpenMaterialAsync(key.KeyId, version, cancellationToken)
            ?? throw new InvalidOperationException($"Key material version {version} of {key.KeyId} is missing.");
        return (version, material);
    }

    /// <summary>Adds a new material version and makes it current; older versions stay, so old ciphertexts still decrypt.</summary>
    public Task<int> RotateAsync(KmsKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var next = key.RotationEnabled ? Now.AddDays(key.RotationPeriodDays ?? DefaultRotationPeriodDays) : (DateTimeOffset?)null;
        return Repository.AddMaterialAsync(
            key.KeyId,
            key.CurrentMaterialVersion,
            NewSealedMaterial(key.KeyId, key.CurrentMaterialVersion + 1),
            Now,
            next,
            cancellationToken);
    }

    /// <summary>Encrypts under the key's current material (rotating first when due).</summary>
    public async Task<byte[]> EncryptAsync(KmsKeyRecord key, ReadOnlyMemory<byte> plaintext, IReadOnlyDictionary<string, string>? encryptionContext, CancellationToken cancellationToken)
    {
        EnsureUsable(key);
        var (version, material) = await CurrentMaterialAsync(key, cancellationToken);
        try
        {
            return KmsCiphertext.Seal(Guid.ParseExact(key.KeyId, "D"), version, material, plaintext.Span, encryptionContext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>The key a ciphertext blob was made with; InvalidCiphertextException when the blob names no key of this region.</summary>
    public async Task<KmsKeyRecord> KeyOfCiphertextAsync(OperationRequest request, byte[] blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!KmsCiphertext.TryReadHeader(blob, out var keyId, out _))
        {
            throw KmsErrors.InvalidCiphertext.ToException();
        }

        var key = await FindAsync(keyId.ToString("D"), cancellationToken);
        return key is not null && key.Region == request.Region ? key : throw KmsErrors.InvalidCiphertext.ToException();
    }

    /// <summary>
    /// Decrypts a blob: finds its key, checks it against <paramref name="expectedKeyId"/> when the
    /// caller named one (IncorrectKeyException), its state, then authenticates blob and context.
    /// </summary>
    public async Task<(KmsKeyRecord Key, byte[] Plaintext)> DecryptAsync(
        OperationRequest request, byte[] blob, IReadOnlyDictionary<string, string>? encryptionContext, string? expectedKeyId, CancellationToken cancellationToken)
    {
        var key = await KeyOfCiphertextAsync(request, blob, cancellationToken);
        if (expectedKeyId is not null)
        {
            var expected = await ResolveAsync(request, expectedKeyId, allowAlias: true, cancellationToken);
            if (expected.KeyId != key.KeyId)
            {
                throw KmsErrors.IncorrectKey.ToException("The key ID in the request does not identify a CMK that can perform this operation.");
            }
        }

        EnsureUsable(key);
        KmsCiphertext.TryReadHeader(blob, out _, out var version);
        var material = await OpenMaterialAsync(key.KeyId, version, cancellationToken) ?? throw KmsErrors.InvalidCiphertext.ToException();
        try
        {
            return KmsCiphertext.TryOpen(blob, material, encryptionContext, out var plaintext)
                ? (key, plaintext)
                : throw KmsErrors.InvalidCiphertext.ToException();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>
    /// What a request to use this key asks of the policy engine: the key's ARN, its compiled key
    /// policy (which AWS requires to allow: "no IAM policy gives access to a KMS key unless the key
    /// policy allows it"), its account, and the kms: condition keys. <paramref name="viaService"/>
    /// names the AWS service making the request on the caller's behalf (S3 for SSE-KMS), which AWS
    /// reports as kms:ViaService, aws:ViaAWSService and aws:CalledVia.
    /// </summary>
    public AuthorizationTarget TargetFor(KmsKeyRecord key, string action, string callerAccount, IReadOnlyDictionary<string, string>? encryptionContext, string? viaService = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var arn = KeyArn(key);
        var conditions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["kms:CallerAccount"] = [callerAccount] };
        if (encryptionContext is { Count: > 0 })
        {
            foreach (var (name, value) in encryptionContext)
            {
                conditions["kms:EncryptionContext:" + name] = [value];
            }

            conditions["kms:EncryptionContextKeys"] = [.. encryptionContext.Keys.Order(StringComparer.Ordinal)];
        }

        if (viaService is not null)
        {
            conditions["kms:ViaService"] = [$"{viaService}.{key.Region}.amazonaws.com"];
            conditions["aws:ViaAWSService"] = ["true"];
            conditions["aws:CalledVia"] = [$"{viaService}.amazonaws.com"];
            conditions["aws:CalledViaFirst"] = [$"{viaService}.amazonaws.com"];
            conditions["aws:CalledViaLast"] = [$"{viaService}.amazonaws.com"];
        }

        return new AuthorizationTarget(action, [arn], conditions)
        {
            ResourceAccount = key.AccountId,
            ResourcePolicy = Policies.Compile(arn, key.PolicyVersion, key.Policy),
            ResourcePolicyRequired = true,
        };
    }

    /// <summary>
    /// The account's AWS managed key for a service (alias/aws/s3), created on first use as AWS does
    /// ("AWS managed keys ... are created ... when you first use the service's encryption"). Its
    /// policy is AWS's for such keys: every principal of the account may use it through that service
    /// only (kms:ViaService, kms:CallerAccount), and the account may read its metadata. Two nodes
    /// racing to create it agree on the alias: the loser deletes its key and uses the winner's.
    /// </summary>
    /// <summary>The services whose AWS managed keys Cloudkeep makes (alias/aws/&lt;service&gt;).</summary>
    private static readonly HashSet<string> AwsManagedServices = new(StringComparer.Ordinal) { "s3" };

    /// <summary>Whether a key is an AWS managed key: an alias under the reserved alias/aws/ prefix, which only Cloudkeep can make, names it.</summary>
    public async Task<bool> IsAwsManagedAsync(KmsKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var aliases = await Repository.ListAliasesAsync(key.AccountId, key.Region, key.KeyId, null, 100, cancellationToken);
        return aliases.Any(a => a.AliasName.StartsWith(KmsAliases.ReservedPrefix, StringComparison.Ordinal));
    }

    public async Task<KmsKeyRecord> AwsManagedKeyAsync(string accountId, string region, string service, CancellationToken cancellationToken)
    {
        var aliasName = KmsAliases.ReservedPrefix + service;
        if (await Repository.GetAliasAsync(accountId, region, aliasName, cancellationToken) is { } existing
            && await FindAsync(existing.KeyId, cancellationToken) is { } found)
        {
            return found;
        }

        var keyId = Guid.NewGuid().ToString("D");
        var now = Now;
        var key = new KmsKeyRecord(
            keyId, accountId, region, $"Default key that protects my {service.ToUpperInvariant()} objects when no other key is defined", KmsKeyState.Enabled, now,
            DeletionDate: null, KmsKeyPolicies.AwsManaged(accountId, region, service), PolicyVersion: 1,
            RotationEnabled: true, RotationPeriodDays: DefaultRotationPeriodDays, NextRotationAt: now.AddDays(DefaultRotationPeriodDays), CurrentMaterialVersion: 1);
        await Repository.CreateKeyAsync(key, new KmsKeyMaterialRecord(keyId, 1, NewSealedMaterial(keyId, 1), now), [], cancellationToken);
        if (await Repository.CreateAliasAsync(new KmsAliasRecord(accountId, region, aliasName, keyId, now, now), cancellationToken))
        {
            return key;
        }

        await Repository.DeleteKeyAsync(keyId, cancellationToken);
        var winner = await Repository.GetAliasAsync(accountId, region, aliasName, cancellationToken);
        return (winner is null ? null : await FindAsync(winner.KeyId, cancellationToken))
            ?? throw new InvalidOperationException($"The AWS managed key {aliasName} of {accountId} could not be created.");
    }

    /// <summary>Only SYMMETRIC_DEFAULT applies to Cloudkeep's keys.</summary>
    public static void EnsureSymmetricAlgorithm(string? algorithm)
    {
        if (algorithm is not null && algorithm != KmsKeyMetadata.SymmetricDefault)
        {
            throw KmsErrors.InvalidKeyUsage.ToException($"The encryption algorithm {algorithm} is not compatible with the key spec SYMMETRIC_DEFAULT.");
        }
    }

    private static string MaterialPurpose(string keyId, int version) => $"kms-key-material:{keyId}:{version}";

    private static Core.Errors.AwsException InvalidKeyId(string reference) =>
        KmsErrors.NotFound.ToException($"Invalid keyId '{reference}'");
}
