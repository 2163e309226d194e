using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Storage.Snapshots;

namespace Cloudkeep.Services.S3;

/// <summary>
/// What every S3 operation shares: the repository, the blob store, the clock, compiled resource
/// policies, and a short-lived cache of buckets (most requests read the bucket twice: once to
/// authorize, once to act). This node's own changes drop the cached bucket at once; other nodes'
/// when their change notification arrives (see <see cref="Forget"/>), else within the cache lifetime.
/// </summary>
public sealed class S3Context
{
    public static readonly TimeSpan DefaultBucketCacheLifetime = TimeSpan.FromSeconds(2);
    private const int MaxCachedPolicies = 10_000;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, BucketState? State)> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledPolicy> _compiled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _accountsByCanonicalId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _displayNames = new(StringComparer.Ordinal);
    private readonly AccountRepository _accounts;

    // Moves on every forget: a lookup that began before one must not store what it read (see CredentialResolver).
    private long _epoch;

    public S3Context(S3Repository repository, IBlobStore blobs, BlobReclaimer reclaimer, AccountRepository accounts, TimeProvider time, Core.Crypto.SecretBox masterKey, IRootMfaCheck? rootMfa = null, Kms.KmsKeyStore? kms = null, IRequestAuthorizer? authorizer = null)
    {
        MasterKey = masterKey;
        Kms = kms;
        Authorizer = authorizer;
        Repository = repository;
        RootMfa = rootMfa;
        Blobs = blobs;
        Reclaimer = reclaimer;
        _accounts = accounts;
        Time = time;
    }

    public S3Repository Repository { get; }

    /// <summary>How long another node's change to a bucket may go unseen when no notification tells of it.</summary>
    public TimeSpan BucketCacheLifetime { get; init; } = DefaultBucketCacheLifetime;

    public IBlobStore Blobs { get; }

    /// <summary>Deletes the blobs committed changes stopped naming, deferring them while an estate snapshot runs.</summary>
    public BlobReclaimer Reclaimer { get; }

    public TimeProvider Time { get; }

    /// <summary>Seals each stored object's data key (SSE-S3).</summary>
    public Core.Crypto.SecretBox MasterKey { get; }

    /// <summary>The KMS that makes and opens SSE-KMS data keys; without it SSE-KMS is answered NotImplemented.</summary>
    public Kms.KmsKeyStore? Kms { get; }

    /// <summary>
    /// The policy engine's decision point, for the KMS requests S3 makes on a caller's behalf
    /// (kms:GenerateDataKey on an SSE-KMS write, kms:Decrypt on a read): each is authorized as that
    /// caller against the key's policy, as AWS authorizes S3's forward access sessions.
    /// </summary>
    public IRequestAuthorizer? Authorizer { get; }

    /// <summary>
    /// New buckets as S3 made them before April 2023 (ACLs enabled for the object writer, no public
    /// access block, SSE-C allowed), for tools and test suites written against that behaviour.
    /// </summary>
    public bool LegacyBucketDefaults { get; init; }

    /// <summary>Checks root MFA codes for MFA delete; without it every such code is refused.</summary>
    public IRootMfaCheck? RootMfa { get; }

    /// <summary>Where event notifications are published (SNS as s3.amazonaws.com); null serves none.</summary>
    public Sns.SnsServicePublisher? Notifications { get; set; }

    /// <summary>
    /// S3 names owners by a 64-hex canonical user id. Cloudkeep derives it from the account id, so
    /// every node computes the same one without storing it.
    /// </summary>
    public static string CanonicalId(string accountId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("cloudkeep-s3-canonical-user:" + accountId)));

    /// <summary>The account a canonical user id stands for, among the accounts of this estate.</summary>
    public async Task<string?> AccountOfCanonicalIdAsync(string canonicalId, CancellationToken cancellationToken)
    {
        if (_accountsByCanonicalId.TryGetValue(canonicalId, out var known))
        {
            return known;
        }

        foreach (var account in await _accounts.ListAsync(cancellationToken))
        {
            _accountsByCanonicalId[CanonicalId(account.AccountId)] = account.AccountId;
        }

        return _accountsByCanonicalId.GetValueOrDefault(canonicalId);
    }

    public async Task<string> DisplayNameAsync(string accountId, CancellationToken cancellationToken)
    {
        if (_displayNames.TryGetValue(accountId, out var name))
        {
            return name;
        }

        name = (await _accounts.GetAsync(accountId, cancellationToken))?.Name ?? accountId;
        _displayNames[accountId] = name;
        return name;
    }

    public async Task<BucketState?> FindBucketAsync(string name, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (_buckets.TryGetValue(name, out var cached) && cached.Until > now)
        {
            return cached.State;
        }

        var epoch = Interlocked.Read(ref _epoch);
        var record = await Repository.GetBucketAsync(name, cancellationToken);
        var state = record is null ? null : new BucketState(record, BucketConfig.Parse(record.Config));
        if (_buckets.Count > 10_000)
        {
            _buckets.Clear();
        }

        if (Interlocked.Read(ref _epoch) == epoch)
        {
            _buckets[name] = (now + BucketCacheLifetime, state);
        }

        return state;
    }

    public async Task<BucketState> RequireBucketAsync(string name, CancellationToken cancellationToken) =>
        await FindBucketAsync(name, cancellationToken)
        ?? throw new Core.Errors.AwsException(S3Errors.NoSuchBucket, S3Errors.NoSuchBucket.DefaultMessage) { Fields = [new("BucketName", name)] };

    /// <summary>The request's bucket: the one describing the request found, else looked up now (NoSuchBucket when missing).</summary>
    public async ValueTask<BucketState> RequestBucketAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = S3Input.Bucket(request.Input);
        return request.Facts.Find<BucketState>() is { } described && described.Name == name
            ? described
            : await RequireBucketAsync(name, cancellationToken);
    }

    /// <summary>
    /// The request's object row: the one describing the request read (ACL-enabled buckets), else
    /// read now. Only reads use it: a write reads the row it replaces inside its own transaction.
    /// </summary>
    public async ValueTask<S3ObjectRecord?> RequestObjectAsync(OperationRequest request, string bucket, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Facts.Find<S3ObjectRecord>() is { } described && described.Bucket == bucket && described.Key == key
            ? described
            : await Repository.GetObjectAsync(bucket, key, cancellationToken);
    }

    /// <summary>A named version of the request's object (delete markers included): the one describing the request read, else read now.</summary>
    public async ValueTask<S3VersionEntry?> RequestVersionAsync(OperationRequest request, string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Facts.Find<S3VersionEntry>() is { } described && described.Version.Bucket == bucket && described.Version.Key == key && described.Version.VersionId == versionId
            ? described
            : await Repository.GetVersionAsync(bucket, key, versionId, cancellationToken);
    }

    /// <summary>
    /// The object a request names (reads, tagging, ACLs): its current version (NoSuchKey, with the delete marker's headers when
    /// that is what is current) or the version asked for (NoSuchVersion; 405 for a delete marker).
    /// </summary>
    public async Task<S3ObjectRecord> RequireRequestObjectAsync(OperationRequest request, BucketState bucket, string key, string method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(bucket);
        if (ObjectVersions.Requested(request.Input) is { } versionId)
        {
            var entry = await RequestVersionAsync(request, bucket.Name, key, versionId, cancellationToken)
                ?? throw ObjectVersions.NoSuchVersion(key, versionId);
            return entry.Version.DeleteMarker ? throw ObjectVersions.MarkerByVersion(entry.Version, method) : entry.Version;
        }

        if (await RequestObjectAsync(request, bucket.Name, key, cancellationToken) is { } current)
        {
            return current;
        }

        // Only a bucket that has had versioning can have a delete marker to mention.
        if (bucket.Config.Versioning != S3Versioning.Unversioned
            && await Repository.GetVersionAsync(bucket.Name, key, null, cancellationToken) is { Version.DeleteMarker: true } marker)
        {
            throw ObjectVersions.DeletedKey(marker.Version);
        }

        throw new Core.Errors.AwsException(S3Errors.NoSuchKey, S3Errors.NoSuchKey.DefaultMessage) { Fields = [new("Key", key)] };
    }

    /// <summary>Stores a changed metadata document (tags, ACL) on the version it was read from; NoSuchKey when that version is gone.</summary>
    public async Task UpdateMetaAsync(S3ObjectRecord record, string meta, string ownerAccount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!await Repository.UpdateVersionMetaAsync(record.Bucket, record.Key, record.VersionId, meta, ownerAccount, cancellationToken))
        {
            throw new Core.Errors.AwsException(S3Errors.NoSuchKey, S3Errors.NoSuchKey.DefaultMessage) { Fields = [new("Key", record.Key)] };
        }
    }

    public void Forget(string bucket)
    {
        Interlocked.Increment(ref _epoch);
        _buckets.TryRemove(bucket, out _);
    }

    /// <summary>An account's name may have changed: S3 shows it as the owner's display name.</summary>
    public void ForgetAccount(string accountId) => _displayNames.TryRemove(accountId, out _);

    /// <summary>Drops every cached bucket and name (a node that may have missed notifications).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _epoch);
        _buckets.Clear();
        _displayNames.Clear();
        _accountsByCanonicalId.Clear();
    }

    // One pending wake-up is enough however many writes queue versions before the replicator looks.
    private readonly System.Threading.Channels.Channel<bool> _replicationQueued =
        System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    /// <summary>Wakes the replicator after a write that queued a version, so replication starts at once rather than at its next poll.</summary>
    public void ReplicationQueued(S3ObjectRecord written)
    {
        ArgumentNullException.ThrowIfNull(written);
        if (written.QueueReplication)
        {
            _replicationQueued.Writer.TryWrite(true);
        }
    }

    /// <summary>Waits until a write queues a version for replication.</summary>
    public async Task WaitForReplicationAsync(CancellationToken cancellationToken) => await _replicationQueued.Reader.ReadAsync(cancellationToken);

    public async Task SaveConfigAsync(BucketState bucket, BucketConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(config);
        Forget(bucket.Name);
        if (!await Repository.UpdateBucketConfigAsync(bucket.Name, config.ToJson(), cancellationToken))
        {
            throw new Core.Errors.AwsException(S3Errors.NoSuchBucket, S3Errors.NoSuchBucket.DefaultMessage) { Fields = [new("BucketName", bucket.Name)] };
        }

        Forget(bucket.Name);
    }

    /// <summary>Compiles a resource policy once per distinct text (bounded).</summary>
    public CompiledPolicy Compile(string json)
    {
        if (_compiled.TryGetValue(json, out var policy))
        {
            return policy;
        }

        var compiled = PolicyDocument.Parse(json, PolicyKind.Bucket, "bucket-policy").GetPolicyOrThrow();
        if (_compiled.Count >= MaxCachedPolicies)
        {
            _compiled.Clear();
        }

        _compiled[json] = compiled;
        return compiled;
    }

    /// <summary>
    /// Deletes blobs no committed row names any more (deferred while an estate snapshot holds a lease). Called
    /// after the commit, so it is never cancelled with the request, and a failure only leaks space, never data:
    /// the write it follows was committed and is answered as such.
    /// </summary>
    public async Task DeleteBlobsAsync(IEnumerable<string> blobIds)
    {
        ArgumentNullException.ThrowIfNull(blobIds);
        var ids = new List<BlobId>();
        foreach (var id in blobIds)
        {
            if (BlobId.TryParse(id, out var blob))
            {
                ids.Add(blob);
            }
        }

        try
        {
            await Reclaimer.DeleteAsync(ids, CancellationToken.None);
        }
        catch (System.Data.Common.DbException)
        {
            // The lease could not be read or the deferral written: the blobs stay (orphans), which a snapshot
            // running now may need; deleting them unchecked could not be undone.
        }
    }

    /// <summary>
    /// Deletes a blob a failed write made (never named by a committed row), best effort and never throwing, as it
    /// runs while another failure is on its way to the caller: a backend that cannot delete it now gets the delete
    /// from the reclaim job; if the metadata store cannot record that either, the blob is left, an orphan.
    /// </summary>
    public async Task DiscardBlobAsync(BlobId id)
    {
        try
        {
            await Blobs.DeleteAsync(id, CancellationToken.None);
        }
        catch (BlobStoreUnavailableException)
        {
            try
            {
                await Reclaimer.DeferAsync([id], Time.GetUtcNow(), CancellationToken.None);
            }
            catch (System.Data.Common.DbException)
            {
                // Both stores failing: the orphan costs space, never data.
            }
        }
    }

    public Task DeleteObjectBlobsAsync(string? blobList) =>
        blobList is null ? Task.CompletedTask : DeleteBlobsAsync(S3BlobList.Parse(blobList).Select(b => b.BlobId));
}

/// <summary>A bucket as read from the store, with its configuration parsed once.</summary>
public sealed record BucketState(S3BucketRecord Record, BucketConfig Config)
{
    public string Name => Record.Name;

    public string AccountId => Record.AccountId;

    public string Region => Record.Region;

    /// <summary>Whether the bucket policy is public, decided once per cached bucket rather than on every request.</summary>
    public bool PolicyIsPublic => _policyIsPublic ??= Config.Policy is { } policy && PublicPolicies.IsPublic(policy);

    private bool? _policyIsPublic;

    private Policy.CompiledPolicy? _compiledPolicy;

    private IReadOnlyList<Lifecycle.LifecycleRule>? _lifecycleRules;

    /// <summary>The lifecycle rules, read once per cached bucket (none when it has no configuration).</summary>
    internal IReadOnlyList<Lifecycle.LifecycleRule> LifecycleRules =>
        _lifecycleRules ??= Lifecycle.LifecycleConfiguration.RulesOf(Config.Get(Lifecycle.LifecycleConfiguration.Part));

    private IReadOnlyList<Replication.ReplicationRule>? _replicationRules;

    /// <summary>The replication rules, read once per cached bucket (none when it has no configuration).</summary>
    internal IReadOnlyList<Replication.ReplicationRule> ReplicationRules =>
        _replicationRules ??= Replication.ReplicationConfiguration.RulesOf(Config.Get(Replication.ReplicationConfiguration.Part));

    private (bool Read, Logging.LoggingTarget? Target) _logging;

    /// <summary>Where the bucket's server access logs go, read once per cached bucket (null when it does not log).</summary>
    public Logging.LoggingTarget? LoggingTarget
    {
        get
        {
            if (!_logging.Read)
            {
                _logging = (true, Logging.BucketLogging.TargetOf(Config));
            }

            return _logging.Target;
        }
    }

    /// <summary>The bucket policy compiled, once per cached bucket (null when there is none).</summary>
    public Policy.CompiledPolicy? CompiledPolicy(S3Context s3) =>
        Config.Policy is { } policy ? _compiledPolicy ??= s3.Compile(policy) : null;
}
