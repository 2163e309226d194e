using Amazon.Runtime;
using Amazon.SecurityToken.Model;

namespace Cloudkeep.Auth;

/// <summary>
/// Turns a credential tree into credentials: leaves are read, and each AssumeRole / GetSessionToken
/// step is served from the shared cache when it has more than five minutes left, else called
/// through STS (asking for an MFA code when the step has mfa_serial) and written back to the cache.
/// </summary>
internal sealed class CredentialProvider(ResolvedProfile profile, CredentialCache cache, MfaPrompt mfa, TimeProvider time)
{
    private readonly List<string> _warnings = [];

    /// <summary>Problems that did not stop the credentials, e.g. a cache that could not be written.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public Task<TemporaryCredentials> GetAsync(CancellationToken cancellationToken) => GetAsync(profile.Source, cancellationToken);

    /// <summary>The cache entries a profile's chain uses, for --clear-cache.</summary>
    public static IEnumerable<string> CacheKeys(CredentialSource source)
    {
        switch (source)
        {
            case AssumeRoleCredentialSource role:
                yield return CredentialCache.AssumeRoleKey(role);
                foreach (var key in CacheKeys(role.Source))
                {
                    yield return key;
                }

                break;
            case SessionTokenCredentialSource session:
                yield return CredentialCache.SessionTokenKey(session);
                break;
        }
    }

    private async Task<TemporaryCredentials> GetAsync(CredentialSource source, CancellationToken cancellationToken) => source switch
    {
        StaticCredentialSource keys => new TemporaryCredentials(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken, null),
        EnvironmentCredentialSource keys => new TemporaryCredentials(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken,
            keys.Expiration is null ? null : CredentialCache.ParseExpiration(keys.Expiration)),
        ProcessCredentialSource process => await CredentialProcess.RunAsync(process, cancellationToken),
        AssumeRoleCredentialSource role => await AssumeRoleAsync(role, cancellationToken),
        SessionTokenCredentialSource session => await SessionTokenAsync(session, cancellationToken),
        _ => throw new InvalidOperationException($"Unknown credential source {source.GetType().Name}."),
    };

    private async Task<TemporaryCredentials> AssumeRoleAsync(AssumeRoleCredentialSource role, CancellationToken cancellationToken)
    {
        var key = CredentialCache.AssumeRoleKey(role);
        if (cache.TryGet(key) is { } cached)
        {
            return cached;
        }

        var sourceCredentials = await GetAsync(role.Source, cancellationToken);
        using var sts = StsClientFactory.Create(sourceCredentials, profile.Region, profile.StsEndpoint, profile.CaBundle);
        var response = await WithMfaAsync(role.SerialNumber, $"AssumeRole {role.RoleArn}", code => sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = role.RoleArn,
            // botocore's own default is botocore-session-<time>; ours says which tool made it.
            RoleSessionName = role.RoleSessionName ?? $"cloudkeep-{time.GetUtcNow().ToUnixTimeSeconds()}",
            ExternalId = role.ExternalId,
            SerialNumber = role.SerialNumber,
            TokenCode = code,
            DurationSeconds = role.DurationSeconds,
        }, cancellationToken));
        var credentials = response.Credentials;
        var assumed = response.AssumedRoleUser;
        var result = new TemporaryCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken,
            Expiration(credentials), AccountOf(assumed?.Arn), assumed?.Arn, assumed?.AssumedRoleId);
        Remember(key, result);
        return result;
    }

    private async Task<TemporaryCredentials> SessionTokenAsync(SessionTokenCredentialSource session, CancellationToken cancellationToken)
    {
        var key = CredentialCache.SessionTokenKey(session);
        if (cache.TryGet(key) is { } cached)
        {
            return cached;
        }

        var source = session.Source;
        using var sts = StsClientFactory.Create(new TemporaryCredentials(source.AccessKeyId, source.SecretAccessKey, null, null), profile.Region, profile.StsEndpoint, profile.CaBundle);
        var response = await WithMfaAsync(session.SerialNumber, "GetSessionToken", code => sts.GetSessionTokenAsync(new GetSessionTokenRequest
        {
            SerialNumber = session.SerialNumber,
            TokenCode = code,
            DurationSeconds = session.DurationSeconds,
        }, cancellationToken));
        var credentials = response.Credentials;
        var result = new TemporaryCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Expiration(credentials));
        Remember(key, result);
        return result;
    }

    /// <summary>Calls STS, asking for a code when the step has an MFA device and asking again (on a terminal) when STS refuses it.</summary>
    private async Task<T> WithMfaAsync<T>(string? serial, string what, Func<string?, Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            var code = serial is null ? null : mfa.Code(serial, attempt);
            try
            {
                return await call(code);
            }
            catch (AmazonServiceException e) when (serial is not null && IsMfaFailure(e) && mfa.Interactive && attempt < MfaPrompt.TerminalAttempts)
            {
                // Asked again below: a mistyped or stale code is the common case.
            }
            catch (AmazonServiceException e)
            {
                var hint = serial is not null && IsMfaFailure(e) ? " (the MFA code was wrong, already used, or from another device)" : "";
                throw new AuthException($"{what} failed: {e.ErrorCode}: {e.Message}{hint}");
            }
            catch (HttpRequestException e)
            {
                throw new AuthException($"{what} failed: STS at {profile.StsEndpoint ?? "AWS"} could not be reached: {e.Message}");
            }
        }
    }

    /// <summary>A cache that cannot be written costs a code next time, not this run.</summary>
    private void Remember(string key, TemporaryCredentials credentials)
    {
        try
        {
            cache.Put(key, credentials);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _warnings.Add($"the credentials could not be cached in {cache.Directory}: {e.Message}");
        }
    }

    private static bool IsMfaFailure(AmazonServiceException e) =>
        e.ErrorCode == "AccessDenied" && e.Message.Contains("MultiFactorAuthentication", StringComparison.Ordinal);

    private static DateTimeOffset? Expiration(Credentials credentials) =>
        credentials.Expiration is { } expiration ? new DateTimeOffset(DateTime.SpecifyKind(expiration, expiration.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : expiration.Kind)).ToUniversalTime() : null;

    private static string? AccountOf(string? arn) =>
        arn?.Split(':') is { Length: >= 6 } parts ? parts[4] : null;
}
