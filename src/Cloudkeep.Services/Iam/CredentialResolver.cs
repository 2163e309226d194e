using System.Collections.Concurrent;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam;

/// <summary>
/// Finds the secret and principal behind an access key id for the authentication step. Lookups are
/// cached briefly: a request path must not hit the database each time, and a key that is
/// deactivated stops working within the cache lifetime (or at once on this node, via <see cref="Invalidate"/>).
/// </summary>
public sealed class CredentialResolver
{
    public const string SecretPurpose = "iam:access-key-secret";
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private readonly AccessKeyRepository _keys;
    private readonly SecretBox _secrets;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (ResolvedCredential? Credential, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public CredentialResolver(AccessKeyRepository keys, SecretBox secrets, TimeProvider time)
    {
        _keys = keys;
        _secrets = secrets;
        _time = time;
    }

    /// <summary>
    /// The credential for a key id, or an InvalidClientTokenId (InvalidAccessKeyId for S3) error for
    /// unknown and inactive keys alike, so a caller cannot probe which keys exist.
    /// </summary>
    public async ValueTask<ResolvedCredential> ResolveAsync(string accessKeyId, bool s3, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!_cache.TryGetValue(accessKeyId, out var entry) || entry.Until < now)
        {
            ResolvedCredential? credential = null;
            if (AwsIds.LooksLikeAccessKeyId(accessKeyId))
            {
                var record = await _keys.GetAsync(accessKeyId, cancellationToken);
                if (record is not null && record.Status == AccessKeyStatus.Active)
                {
                    var secret = _secrets.OpenString(record.SecretSealed, SecretPurpose);
                    var caller = record.UserName is null
                        ? Caller.RootOf(record.AccountId, record.AccessKeyId)
                        : new Caller(PrincipalKind.User, record.AccountId, $"arn:aws:iam::{record.AccountId}:user/{record.UserName}", record.UserName, record.AccessKeyId);
                    credential = new ResolvedCredential(secret, caller);
                }
            }

            entry = (credential, now + CacheLifetime);
            if (_cache.Count > 100_000)
            {
                _cache.Clear();
            }

            _cache[accessKeyId] = entry;
        }

        return entry.Credential
            ?? throw (s3 ? S3AuthErrors.InvalidAccessKeyId : CommonErrors.InvalidClientTokenId).ToException();
    }

    public void Invalidate(string accessKeyId) => _cache.TryRemove(accessKeyId, out _);
}
