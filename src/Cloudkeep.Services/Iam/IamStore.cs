using Cloudkeep.Core.Errors;
using Cloudkeep.Services.Iam.Model;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam;

/// <summary>
/// IAM's entities over the document repository: typed reads, compare-and-set updates retried on
/// conflict, and a generation number that moves on every write so request-path caches can tell
/// when what they hold is stale.
/// </summary>
public sealed class IamStore
{
    private const int MaxAttempts = 8;
    private long _generation;

    public IamStore(EntityDocumentRepository documents)
    {
        Documents = documents;
    }

    public EntityDocumentRepository Documents { get; }

    /// <summary>Moves on every write this node makes; caches compare it with what they saw.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Touch() => Interlocked.Increment(ref _generation);

    public async Task<T?> GetAsync<T>(string accountId, string kind, string name, CancellationToken cancellationToken)
        where T : class =>
        (await Documents.GetAsync<T>(accountId, kind, name, cancellationToken))?.Value;

    public async Task<T> RequireAsync<T>(string accountId, string kind, string name, Func<AwsException> missing, CancellationToken cancellationToken)
        where T : class =>
        await GetAsync<T>(accountId, kind, name, cancellationToken) ?? throw missing();

    /// <summary>One page of a kind's entities in name order (IAM's Marker/MaxItems), read a batch at a time by the name index.</summary>
    public Task<(IReadOnlyList<T> Page, bool IsTruncated, string? NextMarker)> PageAsync<T>(string accountId, string kind, Func<T, string> name, Func<T, bool> keep, System.Text.Json.Nodes.JsonObject input, CancellationToken cancellationToken) =>
        Paging.PageAsync((from, inclusive, limit) => Documents.ListFromAsync<T>(accountId, kind, from, inclusive, limit, cancellationToken), item => EntityDocumentRepository.Key(name(item)), keep, input);

    public Task<IReadOnlyList<T>> ListAsync<T>(string accountId, string kind, CancellationToken cancellationToken) =>
        Documents.ListAsync<T>(accountId, kind, cancellationToken);

    public async Task InsertAsync<T>(string accountId, string kind, string name, string entityId, T value, Func<AwsException> exists, CancellationToken cancellationToken)
    {
        if (!await Documents.TryInsertAsync(accountId, kind, name, entityId, value, cancellationToken))
        {
            throw exists();
        }

        Touch();
    }

    /// <summary>Applies <paramref name="change"/> to the current document, retrying when another writer got there first.</summary>
    public async Task<T> UpdateAsync<T>(string accountId, string kind, string name, Func<T, T> change, Func<AwsException> missing, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await Documents.GetAsync<T>(accountId, kind, name, cancellationToken) ?? throw missing();
            var updated = change(current.Value);
            if (await Documents.TryReplaceAsync(accountId, kind, name, updated, current.Revision, cancellationToken))
            {
                Touch();
                return updated;
            }
        }

        throw IamErrors.ConcurrentModification.ToException();
    }

    /// <summary>
    /// UpdateUser / UpdateGroup: applies <paramref name="change"/> in place, or as a rename when
    /// <paramref name="newName"/> names the entity differently (not merely in case).
    /// </summary>
    public Task<T> UpdateOrRenameAsync<T>(string accountId, string kind, string name, string? newName, Func<T, T> change, Func<AwsException> missing, Func<AwsException> exists, CancellationToken cancellationToken)
        where T : class =>
        newName is null || string.Equals(newName, name, StringComparison.OrdinalIgnoreCase)
            ? UpdateAsync(accountId, kind, name, change, missing, cancellationToken)
            : RenameAsync(accountId, kind, name, newName, change, missing, exists, cancellationToken);

    /// <summary>Renames an entity (and applies <paramref name="change"/>), retrying on concurrent changes.</summary>
    public async Task<T> RenameAsync<T>(string accountId, string kind, string oldName, string newName, Func<T, T> change, Func<AwsException> missing, Func<AwsException> exists, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(exists);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await Documents.GetAsync<T>(accountId, kind, oldName, cancellationToken) ?? throw missing();
            var updated = change(current.Value);
            switch (await Documents.TryRenameAsync(accountId, kind, oldName, newName, updated, current.Revision, cancellationToken))
            {
                case true:
                    Touch();
                    return updated;
                case null:
                    throw exists();
                default:
                    continue;
            }
        }

        throw IamErrors.ConcurrentModification.ToException();
    }

    public async Task DeleteAsync(string accountId, string kind, string name, Func<AwsException> missing, CancellationToken cancellationToken)
    {
        if (!await Documents.DeleteAsync(accountId, kind, name, cancellationToken))
        {
            throw missing();
        }

        Touch();
    }

    /// <summary>A managed policy by ARN: AWS managed ones from the built-in catalogue, customer managed from the store.</summary>
    public async Task<IamManagedPolicy?> GetManagedPolicyAsync(string arn, CancellationToken cancellationToken)
    {
        if (AwsManagedPolicies.TryGet(arn, out var builtIn))
        {
            return builtIn;
        }

        if (!IamArns.TryParsePolicyArn(arn, out var accountId, out var name))
        {
            return null;
        }

        var policy = await GetAsync<IamManagedPolicy>(accountId, IamKinds.Policy, name, cancellationToken);
        return policy is not null && policy.Arn == arn ? policy : null;
    }
}
