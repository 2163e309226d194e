using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Auth;

/// <summary>
/// The AWS CLI's assume-role cache (`~/.aws/cli/cache`, awscli's JSONFileCache): one JSON file per
/// role configuration, named by the SHA-1 of botocore's cache key, holding the AssumeRole response.
/// Both tools read and write the same files, so an MFA code typed for one serves the other.
/// Files are 0600 in a 0700 directory and replaced atomically.
/// </summary>
internal sealed class CredentialCache(string directory, TimeProvider time)
{
    /// <summary>Credentials are reused until this long before they expire (the AWS CLI uses 15 minutes).</summary>
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromMinutes(5);

    public string Directory { get; } = directory;

    public static string DefaultDirectory(EnvironmentVariables environment) => Path.Combine(environment.Home, ".aws", "cli", "cache");

    /// <summary>
    /// botocore's key (BaseAssumeRoleCredentialFetcher._create_cache_key): the AssumeRole arguments
    /// from the profile, without a session name the tool generated itself.
    /// </summary>
    public static string AssumeRoleKey(AssumeRoleCredentialSource role)
    {
        var arguments = new Dictionary<string, object>(StringComparer.Ordinal) { ["RoleArn"] = role.RoleArn };
        if (role.RoleSessionName is not null)
        {
            arguments["RoleSessionName"] = role.RoleSessionName;
        }

        if (role.ExternalId is not null)
        {
            arguments["ExternalId"] = role.ExternalId;
        }

        if (role.SerialNumber is not null)
        {
            arguments["SerialNumber"] = role.SerialNumber;
        }

        if (role.DurationSeconds is { } duration)
        {
            arguments["DurationSeconds"] = duration;
        }

        return Hash(arguments);
    }

    /// <summary>
    /// The AWS CLI has no GetSessionToken cache; this key cannot collide with a role's (no RoleArn)
    /// and names the long-term key, so two users on one machine never share an entry.
    /// </summary>
    public static string SessionTokenKey(SessionTokenCredentialSource session)
    {
        var arguments = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["Operation"] = "GetSessionToken",
            ["SerialNumber"] = session.SerialNumber,
            ["SourceAccessKeyId"] = session.Source.AccessKeyId,
        };
        if (session.DurationSeconds is { } duration)
        {
            arguments["DurationSeconds"] = duration;
        }

        return Hash(arguments);
    }

    /// <summary>The cached credentials, when the file exists, parses, and has more than <see cref="RefreshWindow"/> left.</summary>
    public TemporaryCredentials? TryGet(string key)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(PathOf(key)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }

        if (root?["Credentials"] is not JsonObject credentials
            || Text(credentials, "AccessKeyId") is not { } accessKeyId
            || Text(credentials, "SecretAccessKey") is not { } secret
            || Text(credentials, "Expiration") is not { } expirationText
            || ParseExpiration(expirationText) is not { } expiration
            || expiration - time.GetUtcNow() <= RefreshWindow)
        {
            return null;
        }

        var user = root["AssumedRoleUser"] as JsonObject;
        return new TemporaryCredentials(accessKeyId, secret, Text(credentials, "SessionToken"), expiration,
            Text(credentials, "AccountId"), user is null ? null : Text(user, "Arn"), user is null ? null : Text(user, "AssumedRoleId"));
    }

    /// <summary>Writes the entry in the AWS CLI's shape: the STS response with AccountId added to Credentials.</summary>
    public void Put(string key, TemporaryCredentials credentials)
    {
        var body = new JsonObject
        {
            ["Credentials"] = new JsonObject
            {
                ["AccessKeyId"] = credentials.AccessKeyId,
                ["SecretAccessKey"] = credentials.SecretAccessKey,
                ["SessionToken"] = credentials.SessionToken,
                // botocore's JSONFileCache writes datetimes with strftime('%Y-%m-%dT%H:%M:%S%Z').
                ["Expiration"] = credentials.Expiration?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'UTC'", CultureInfo.InvariantCulture),
                ["AccountId"] = credentials.AccountId,
            },
        };
        if (credentials.AssumedRoleArn is not null)
        {
            body["AssumedRoleUser"] = new JsonObject { ["AssumedRoleId"] = credentials.AssumedRoleId, ["Arn"] = credentials.AssumedRoleArn };
        }

        body["ResponseMetadata"] = new JsonObject { ["HTTPStatusCode"] = 200, ["RetryAttempts"] = 0 };
        EnsureDirectory();
        var temporary = Path.Combine(Directory, $".{key}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(body.ToJsonString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, PathOf(key), overwrite: true);
    }

    public bool Remove(string key)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Removes every cached credential file (the JSON files with a Credentials object); returns how many.</summary>
    public int Clear()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            try
            {
                if (JsonNode.Parse(File.ReadAllText(file))?["Credentials"] is JsonObject)
                {
                    File.Delete(file);
                    removed++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                // Not a credential file, or not ours to read: left alone.
            }
        }

        return removed;
    }

    public string PathOf(string key) => Path.Combine(Directory, key + ".json");

    /// <summary>Accepts the AWS CLI's "…UTC" form as well as ISO 8601 ("…Z", "…+00:00").</summary>
    public static DateTimeOffset? ParseExpiration(string text)
    {
        var normalised = text.EndsWith("UTC", StringComparison.Ordinal) ? text[..^3] + "Z" : text;
        return DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }

    private void EnsureDirectory()
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else if (!System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.CreateDirectory(Directory, OwnerOnly);
        }
        else if ((File.GetUnixFileMode(Directory) & ~OwnerOnly) != 0)
        {
            // The AWS CLI creates it with the umask's mode; credentials are only ever the owner's.
            File.SetUnixFileMode(Directory, OwnerOnly);
        }
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    // SHA-1 names a file here, it protects nothing: it must be botocore's hash to share its cache.
#pragma warning disable CA5350
    private static string Hash(Dictionary<string, object> arguments) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(PythonJson.DumpsSorted(arguments))));
#pragma warning restore CA5350
}
