using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Services.Sts;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Replication;

/// <summary>
/// Replicates queued versions as the rule's role, as S3 does: the S3 service principal assumes the
/// role (its trust policy must allow s3.amazonaws.com), and each read and write is authorized by
/// the one policy engine for that session — s3:GetObjectVersionForReplication (and
/// s3:GetObjectVersionTagging for tagged objects) on the source under its bucket policy,
/// s3:ReplicateObject / s3:ReplicateDelete / s3:ReplicateTags on the destination under the
/// destination bucket's policy, which decides for a destination in another account. A refusal
/// marks the version FAILED; anything else that goes wrong is retried with back-off.
/// </summary>
public sealed class Replicator(S3Context s3, ServiceRoleSessions roles, IRequestAuthorizer authorizer)
{
    public const string ServicePrincipal = "s3.amazonaws.com";
    public const int MaxAttempts = 8;

    /// <summary>Versions replicated at once: enough to overlap one's database writes with another's reads and crypto.</summary>
    public const int Parallelism = 4;

    /// <summary>What one pass did; <see cref="Lags"/> are the times from queueing to completion.</summary>
    public sealed record PassResult(int Taken, int Completed, int Failed, int Retried, IReadOnlyList<TimeSpan> Lags);

    private enum Outcome
    {
        Completed,
        Failed,
        Gone,
    }

    /// <summary>The delay before attempt <paramref name="attempts"/> + 1: 1 s doubling to at most 5 minutes.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Min(attempts, 10))));

    /// <summary>
    /// Replicates up to <paramref name="limit"/> due versions, a few at a time (the queue hands out
    /// only the oldest queued version of each key, so versions of one key never race). Buckets,
    /// role sessions and bucket policies are looked up once per pass.
    /// </summary>
    public async Task<PassResult> RunAsync(int limit, CancellationToken cancellationToken)
    {
        var due = await s3.Repository.DueReplicationsAsync(s3.Time.GetUtcNow(), limit, cancellationToken);
        int completed = 0, failed = 0, retried = 0;
        var lags = new ConcurrentBag<TimeSpan>();
        var pass = new Pass();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (task, token) =>
        {
            Outcome outcome;
            try
            {
                outcome = await ReplicateAsync(pass, task, token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException && task.Attempts + 1 < MaxAttempts)
            {
                await s3.Repository.PostponeReplicationAsync(task, s3.Time.GetUtcNow() + Backoff(task.Attempts), token);
                Interlocked.Increment(ref retried);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                outcome = Outcome.Failed;
            }

            switch (outcome)
            {
                case Outcome.Completed:
                    await s3.Repository.FinishReplicationAsync(task, meta => ObjectReplication.WithStatus(meta, ObjectReplication.Completed), token);
                    lags.Add(s3.Time.GetUtcNow() - task.QueuedAt);
                    Interlocked.Increment(ref completed);
                    break;
                case Outcome.Failed:
                    await s3.Repository.FinishReplicationAsync(task, meta => ObjectReplication.WithStatus(meta, ObjectReplication.Failed), token);
                    Interlocked.Increment(ref failed);
                    break;
                default:
                    await s3.Repository.FinishReplicationAsync(task, meta => meta, token);
                    break;
            }
        });

        return new PassResult(due.Count, completed, failed, retried, [.. lags]);
    }

    /// <summary>What one pass looks up once: buckets (read fresh from the store), role sessions (a refusal too) and bucket policies.</summary>
    private sealed class Pass
    {
        public ConcurrentDictionary<string, Lazy<Task<BucketState?>>> Buckets { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<(string Role, string Source), Lazy<Task<Caller>>> Sessions { get; } = new();

        public ConcurrentDictionary<(string Bucket, string Caller), Lazy<Task<Policy.CompiledPolicy?>>> Policies { get; } = new();
    }

    private Task<BucketState?> BucketAsync(Pass pass, string name, CancellationToken cancellationToken) =>
        pass.Buckets.GetOrAdd(name, n => new Lazy<Task<BucketState?>>(() =>
        {
            s3.Forget(n);
            return s3.FindBucketAsync(n, cancellationToken);
        })).Value;

    private async Task<Outcome> ReplicateAsync(Pass pass, S3ReplicationTask task, CancellationToken cancellationToken)
    {
        var source = await BucketAsync(pass, task.Bucket, cancellationToken);
        var entry = source is null ? null : await s3.Repository.GetVersionAsync(task.Bucket, task.Key, task.VersionId, cancellationToken);
        if (source is null || entry is null)
        {
            return Outcome.Gone;
        }

        var version = entry.Version;
        var meta = ObjectMeta.Parse(version.Meta);
        var rules = source.ReplicationRules
            .Where(r => version.DeleteMarker ? r.MatchesMarker(version.Key) : r.Matches(version, () => meta))
            .GroupBy(r => r.DestinationBucket, StringComparer.Ordinal)
            .Select(g => g.MaxBy(r => r.Priority)!)
            .ToList();
        if (rules.Count == 0 || ReplicationConfiguration.RoleOf(source.Config.Get(ReplicationConfiguration.Part)) is not { } role)
        {
            return Outcome.Failed;
        }

        Caller session;
        try
        {
            session = await pass.Sessions.GetOrAdd(
                (role, source.Name),
                key => new Lazy<Task<Caller>>(() => roles.AssumeAsync(ServicePrincipal, key.Role, "s3-replication", source.AccountId, S3Arns.ForBucket(key.Source), source.Region, cancellationToken))).Value;
        }
        catch (AwsException)
        {
            return Outcome.Failed;
        }

        foreach (var rule in rules)
        {
            if (!await ToDestinationAsync(pass, session, source, version, meta, rule, cancellationToken))
            {
                return Outcome.Failed;
            }
        }

        return Outcome.Completed;
    }

    /// <summary>Writes one destination's replica; false when that is refused (the version is then FAILED).</summary>
    private async Task<bool> ToDestinationAsync(Pass pass, Caller session, BucketState source, S3ObjectRecord version, ObjectMeta meta, ReplicationRule rule, CancellationToken cancellationToken)
    {
        var destination = await BucketAsync(pass, rule.DestinationBucket, cancellationToken);
        if (destination is null || destination.Config.Versioning != S3Versioning.Enabled)
        {
            return false;
        }

        var tagged = !version.DeleteMarker && meta.Tags is { Count: > 0 };
        try
        {
            if (!version.DeleteMarker)
            {
                await AuthorizeAsync(pass, session, source, version.Key, "s3:GetObjectVersionForReplication", cancellationToken);
                if (tagged)
                {
                    await AuthorizeAsync(pass, session, source, version.Key, "s3:GetObjectVersionTagging", cancellationToken);
                }
            }

            await AuthorizeAsync(pass, session, destination, version.Key, version.DeleteMarker ? "s3:ReplicateDelete" : "s3:ReplicateObject", cancellationToken);
            if (tagged)
            {
                await AuthorizeAsync(pass, session, destination, version.Key, "s3:ReplicateTags", cancellationToken);
            }
        }
        catch (AwsException)
        {
            return false;
        }

        // Encrypted bytes are read and re-encrypted as the role: an SSE-KMS version's data key is
        // decrypted with kms:Decrypt on its key and the replica's made with kms:Encrypt on the rule's
        // ReplicaKmsKeyID, each decided by that key's policy for the role's session. SSE-C versions
        // cannot be read without their customer's key, which S3 never keeps: they fail.
        SecretBox? sourceKey = null;
        ObjectEncryption.Write? encryption = null;
        if (!version.DeleteMarker && ObjectEncryption.IsEncrypted(meta))
        {
            try
            {
                sourceKey = await ObjectEncryption.ForReadAsync(s3, RoleRequest(session, source.Region), meta, version.Bucket, version.Key, ObjectEncryption.ReadFor.Object, cancellationToken);
                encryption = await ObjectEncryption.ForReplicaAsync(s3, RoleRequest(session, destination.Region), meta, destination, version.Key, rule.ReplicaKmsKeyId, cancellationToken);
            }
            catch (AwsException)
            {
                return false;
            }
        }

        var replicaMeta = version.DeleteMarker ? new ObjectMeta(new JsonObject()) : ReplicaMeta(meta, rule, destination);
        encryption?.Mark(replicaMeta);
        var owner = rule.OwnerOverride ? destination.AccountId : version.OwnerAccount;
        var (blobs, inline, written) = version.DeleteMarker
            ? ("", (byte[]?)null, (IReadOnlyList<BlobId>)[])
            : await CopyBytesAsync(version, meta, sourceKey, encryption?.SealingFor(destination.Name, version.Key), destination, cancellationToken);
        var replica = new S3ObjectRecord(
            destination.Name, version.Key, blobs, version.Size, version.ETag, version.LastModified, owner, replicaMeta.ToJson(), inline, version.VersionId, version.DeleteMarker);
        try
        {
            if (!await s3.Repository.PutReplicaAsync(replica, cancellationToken))
            {
                // Already delivered (a retry after a crash between delivery and bookkeeping).
                await DeleteAllAsync(written);
            }
        }
        catch
        {
            await DeleteAllAsync(written);
            throw;
        }

        s3.Forget(destination.Name);
        return true;
    }

    /// <summary>A request made by the role's session inside the replicator, for the KMS requests S3 makes as it.</summary>
    private static OperationRequest RoleRequest(Caller session, string region, string operation = "ReplicateObject") => new()
    {
        Service = "s3",
        Operation = operation,
        Input = new JsonObject(),
        Caller = session,
        Region = region,
        RequestId = Guid.NewGuid().ToString("N"),
        SecureTransport = true,
    };

    private async Task AuthorizeAsync(Pass pass, Caller session, BucketState bucket, string key, string action, CancellationToken cancellationToken)
    {
        var request = RoleRequest(session, bucket.Region, action["s3:".Length..]);
        var target = new AuthorizationTarget(action, [S3Arns.ForObject(bucket.Name, key)])
        {
            ResourceAccount = bucket.AccountId,
            ResourcePolicy = await pass.Policies.GetOrAdd(
                (bucket.Name, session.Arn),
                _ => new Lazy<Task<Policy.CompiledPolicy?>>(() => S3ResourcePolicies.ForAsync(s3, bucket, session, null, cancellationToken))).Value,
        };
        await authorizer.AuthorizeAsync(session, target, request, cancellationToken);
    }

    /// <summary>The replica's metadata: the source's (headers, user metadata, tags, checksums, encryption), marked REPLICA.</summary>
    private static ObjectMeta ReplicaMeta(ObjectMeta meta, ReplicationRule rule, BucketState destination)
    {
        var replica = meta.Clone();
        replica.Document[ObjectReplication.StatusMember] = ObjectReplication.Replica;
        if (rule.OwnerOverride)
        {
            replica.Document.Remove("Grants");
        }

        if (rule.StorageClass is { } storageClass)
        {
            if (storageClass == "STANDARD")
            {
                replica.Document.Remove("StorageClass");
            }
            else
            {
                replica.Document["StorageClass"] = storageClass;
            }
        }

        // A lock travels only to a bucket that can hold one.
        if (!ObjectLock.ObjectLockConfiguration.IsEnabled(destination.Config))
        {
            replica.Document.Remove("Retention");
            replica.Document.Remove("LegalHold");
        }

        return replica;
    }

    /// <summary>
    /// Copies the version's bytes into the destination's region, blob by blob so a multipart
    /// object keeps its part layout; encrypted objects are re-encrypted under the destination's
    /// own data keys (a data key is bound to its bucket and key).
    /// </summary>
    private async Task<(string Blobs, byte[]? Inline, IReadOnlyList<BlobId> Written)> CopyBytesAsync(
        S3ObjectRecord version, ObjectMeta meta, SecretBox? sourceKey, ObjectUploads.Sealing? sealing, BucketState destination, CancellationToken cancellationToken)
    {
        if (version.InlineData is not null)
        {
            await using var plain = await ObjectContent.OpenAsync(s3, version, meta, sourceKey, 0, version.Size, cancellationToken);
            using var buffer = new MemoryStream();
            await plain.CopyToAsync(buffer, cancellationToken);
            return ("", ObjectUploads.Inline(buffer.ToArray(), sealing).Inline, []);
        }

        var written = new List<BlobId>();
        var list = new List<(string BlobId, long Length)>();
        try
        {
            long offset = 0;
            foreach (var (_, length) in S3BlobList.Parse(version.Blobs))
            {
                await using var part = await ObjectContent.OpenAsync(s3, version, meta, sourceKey, offset, length, cancellationToken);
                var stored = await ObjectUploads.StoreAsync(s3, destination.Region, part, sealing, cancellationToken);
                written.Add(stored.Blob!.Id);
                list.Add((stored.Blob.Id.ToString(), length));
                offset += length;
            }
        }
        catch
        {
            await DeleteAllAsync(written);
            throw;
        }

        return (S3BlobList.Format(list), null, written);
    }

    private async Task DeleteAllAsync(IEnumerable<BlobId> blobs)
    {
        foreach (var blob in blobs)
        {
            await s3.DiscardBlobAsync(blob);
        }
    }
}
