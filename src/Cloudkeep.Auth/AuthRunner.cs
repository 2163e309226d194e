using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Auth;

/// <summary>
/// `cloudkeep auth`: resolve the profile, get credentials (cache, MFA, STS), then run the command
/// with them, or print them for a shell (--export) or for the SDKs (--credential-process).
/// Output and the child runner are parameters so tests can drive it in-process.
/// </summary>
public sealed class AuthRunner(EnvironmentVariables environment, TimeProvider time, TextWriter stdout, TextWriter stderr, MfaPrompt mfa)
{
    public Func<string, IReadOnlyList<string>, IReadOnlyDictionary<string, string?>, Task<int>> RunChild { get; init; } = ChildProcess.RunAsync;

    public string CacheDirectory { get; init; } = CredentialCache.DefaultDirectory(environment);

    public async Task<int> RunAsync(AuthOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCheckedAsync(options, cancellationToken);
        }
        catch (AuthException e)
        {
            await stderr.WriteLineAsync($"cloudkeep auth: {e.Message}");
            return e.ExitCode;
        }
        catch (ProfileFileException e)
        {
            await stderr.WriteLineAsync($"cloudkeep auth: {e.Message}");
            return 255;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Config files or the cache directory that cannot be read or changed.
            await stderr.WriteLineAsync($"cloudkeep auth: {e.Message}");
            return 255;
        }
    }

    private async Task<int> RunCheckedAsync(AuthOptions options, CancellationToken cancellationToken)
    {
        var modes = (options.Export ? 1 : 0) + (options.CredentialProcess ? 1 : 0) + (options.Command.Count > 0 ? 1 : 0);
        if (modes > 1)
        {
            throw new AuthException("give one of: a command after --, --export, or --credential-process.", 2);
        }

        if (modes == 0 && !options.ClearCache)
        {
            throw new AuthException("nothing to do: give a command after -- (cloudkeep auth -- make plan), --export, --credential-process, or --clear-cache.", 2);
        }

        var duration = options.Duration is null ? (int?)null : DurationText.ParseSeconds(options.Duration);
        var profiles = ProfileSet.Load(environment);
        var cache = new CredentialCache(CacheDirectory, time);
        if (options.ClearCache)
        {
            ClearCache(profiles, cache, options.Profile);
            if (modes == 0)
            {
                return 0;
            }
        }

        var resolved = ProfileResolver.Resolve(profiles, environment, options.Profile, duration);
        if (resolved.Name is null && environment["AWS_PROFILE"] is { } ignored)
        {
            await stderr.WriteLineAsync($"cloudkeep auth: using the credentials in AWS_ACCESS_KEY_ID, which take precedence over AWS_PROFILE={ignored} as in the AWS CLI; pass --profile {ignored} to use the profile.");
        }

        var provider = new CredentialProvider(resolved, cache, mfa, time);
        var credentials = await provider.GetAsync(cancellationToken);
        foreach (var warning in provider.Warnings)
        {
            await stderr.WriteLineAsync($"cloudkeep auth: warning: {warning}");
        }
        if (options.CredentialProcess)
        {
            await stdout.WriteLineAsync(CredentialProcessJson(credentials));
            return 0;
        }

        var variables = ChildEnvironment.For(credentials, resolved);
        if (options.Export)
        {
            await stdout.WriteAsync(ChildEnvironment.ExportLines(variables));
            return 0;
        }

        await stdout.FlushAsync(cancellationToken);
        await stderr.FlushAsync(cancellationToken);
        return await RunChild(options.Command[0], options.Command.Skip(1).ToList(), variables);
    }

    private void ClearCache(ProfileSet profiles, CredentialCache cache, string? profile)
    {
        int removed;
        if (profile is null)
        {
            removed = cache.Clear();
        }
        else
        {
            var resolved = ProfileResolver.Resolve(profiles, environment, profile);
            removed = CredentialProvider.CacheKeys(resolved.Source).Count(cache.Remove);
        }

        stderr.WriteLine($"cloudkeep auth: removed {removed} cached credential file{(removed == 1 ? "" : "s")} from {cache.Directory}");
    }

    /// <summary>The credential_process output format (Version 1) the AWS CLI and SDKs read.</summary>
    private static string CredentialProcessJson(TemporaryCredentials credentials)
    {
        var json = new JsonObject
        {
            ["Version"] = 1,
            ["AccessKeyId"] = credentials.AccessKeyId,
            ["SecretAccessKey"] = credentials.SecretAccessKey,
        };
        if (credentials.SessionToken is not null)
        {
            json["SessionToken"] = credentials.SessionToken;
        }

        if (credentials.Expiration is { } expiration)
        {
            json["Expiration"] = expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
