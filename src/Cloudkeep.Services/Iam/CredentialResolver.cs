using System.Collections.Concurrent;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam;

/// <summary>
/// Finds the secret and principal behind an access key id for the authentication step. Lookups are
/// cached: a request path must not hit the database each time. A key deactivated or deleted on this
/// node is dropped at once (<see cref="Invalidate"/>); on another node sharing PostgreSQL, when its
/// change notification arrives (the server wires the node's change bus to these methods), and at the
/// latest when the entry's lifetime ends.
/// </summary>
public sealed class CredentialResolver
{
    public const string SecretPurpose = "iam:access-key-secret";
    public static readonly TimeSpan DefaultCacheLifetime = TimeSpan.FromSeconds(5);

    private readonly AccessKeyRepository _keys;
    private readonly SecretBox _secrets;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (ResolvedCredential? Credential, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastNoted = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime;

    // Moves on every invalidation: a lookup that began before one must not store what it read, which may be
    // the very state the invalidation was about (read just before the change committed).
    private long _epoch;

    public CredentialResolver(AccessKeyRepository keys, SecretBox secrets, TimeProvider time, IamStore? users = null, TimeSpan? cacheLifetime = null)
    {
        _keys = keys;
        _secrets = secrets;
        _time = time;
        _users = users;
        _lifetime = cacheLifetime ?? DefaultCacheLifetime;
    }

    private readonly IamStore? _users;

    /// <summary>
    /// The credential for a key id, or an InvalidClientTokenId (InvalidAccessKeyId for S3) error for
    /// unknown and inactive keys alike, so a caller cannot probe which keys exist.
    /// </summary>
    public async ValueTask<ResolvedCredential> ResolveAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        if (accessKeyId.StartsWith(AwsIds.TemporaryKeyPrefix, StringComparison.Ordinal) || sessionToken is not null)
        {
            return ResolveSession(accessKeyId, sessionToken);
        }

        var now = _time.GetUtcNow();
        if (!_cache.TryGetValue(accessKeyId, out var entry) || entry.Until < now)
        {
            var epoch = Interlocked.Read(ref _epoch);
            ResolvedCredential? credential = null;
            if (AwsIds.LooksLikeAccessKeyId(accessKeyId))
            {
                var record = await _keys.GetAsync(accessKeyId, cancellationToken);
                if (record is not null && record.Status == AccessKeyStatus.Active)
                {
                    var secret = _secrets.OpenString(record.SecretSealed, SecretPurpose);
                    Caller? caller = null;
                    if (record.UserName is null)
                    {
                        caller = Caller.RootOf(record.AccountId, record.AccessKeyId);
                    }
                    else if (_users is null)
                    {
                        caller = new Caller(PrincipalKind.User, record.AccountId, $"arn:aws:iam::{record.AccountId}:user/{record.UserName}", record.UserName, record.AccessKeyId);
                    }
                    else if (await _users.GetAsync<Model.IamUser>(record.AccountId, Model.IamKinds.User, record.UserName, cancellationToken) is { } user)
                    {
                        // The caller's ARN carries the user's path, and aws:userid is its AIDA id, as in AWS.
                        caller = new Caller(PrincipalKind.User, record.AccountId, user.Arn, user.UserId, record.AccessKeyId);
                    }

                    credential = caller is null ? null : new ResolvedCredential(secret, caller);
                }
            }

            entry = (credential, now + _lifetime);
            if (_cache.Count > 100_000)
            {
                _cache.Clear();
            }

            if (Interlocked.Read(ref _epoch) == epoch)
            {
                _cache[accessKeyId] = entry;
            }
        }

        return entry.Credential
            ?? throw CommonErrors.InvalidClientTokenId.ToException();
    }

    public void Invalidate(string accessKeyId)
    {
        Interlocked.Increment(ref _epoch);
        _cache.TryRemove(accessKeyId, out _);
    }

    /// <summary>Drops the keys of one account (its users were renamed, deleted or moved): their callers' ARNs may be stale.</summary>
    public void InvalidateAccount(string accountId)
    {
        Interlocked.Increment(ref _epoch);
        foreach (var (id, entry) in _cache)
        {
            if (entry.Credential is null || entry.Credential.Caller.AccountId == accountId)
            {
                _cache.TryRemove(id, out _);
            }
        }
    }

    public void InvalidateAll()
    {
        Interlocked.Increment(ref _epoch);
        _cache.Clear();
    }

    /// <summary>
    /// Records that a long-term key was used (GetAccessKeyLastUsed). At most once a minute per key
    /// and node, so the request path writes rarely; AWS itself reports last use only approximately.
    /// </summary>
    public async ValueTask NoteUseAsync(string accessKeyId, string service, string region, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_lastNoted.TryGetValue(accessKeyId, out var noted) && now - noted < TimeSpan.FromMinutes(1))
        {
            return;
        }

        _lastNoted[accessKeyId] = now;
        if (_lastNoted.Count > 100_000)
        {
            _lastNoted.Clear();
        }

        await _keys.RecordUseAsync(accessKeyId, now, service, region, cancellationToken);
    }

    /// <summary>Temporary credentials: the token is opened, matched to the key id and checked for expiry.</summary>
    private ResolvedCredential ResolveSession(string accessKeyId, string? sessionToken)
    {
        if (sessionToken is null)
        {
            throw CommonErrors.InvalidClientTokenId.ToException();
        }

        var token = Sts.SessionToken.TryOpen(_secrets, sessionToken);
        if (token is null || token.AccessKeyId != accessKeyId)
        {
            throw CommonErrors.InvalidSessionToken.ToException();
        }

        if (_time.GetUtcNow() >= token.Expiration)
        {
            throw CommonErrors.ExpiredToken.ToException();
        }

        return new ResolvedCredential(token.SecretAccessKey, token.ToCaller());
    }
}
