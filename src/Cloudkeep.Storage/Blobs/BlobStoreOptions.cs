namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// Where blobs are kept (<c>--blobs</c> / CLOUDKEEP_BLOBS) and how the backend is reached:
/// <list type="bullet">
/// <item><c>disk:DIR</c>: files under DIR (a local directory, or one every node mounts); by default &lt;data&gt;/blobs.</item>
/// <item><c>s3://BUCKET[/PREFIX]</c>: objects in an S3-compatible store at <see cref="Endpoint"/>
/// (CLOUDKEEP_BLOBS_ENDPOINT; AWS's own endpoint for <see cref="Region"/> when unset), with the credentials of
/// <see cref="CredentialsFile"/> (an AWS-style credentials file of mode 0600, else refused), else
/// CLOUDKEEP_BLOBS_ACCESS_KEY_ID / CLOUDKEEP_BLOBS_SECRET_ACCESS_KEY, else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.</item>
/// </list>
/// Every problem is an <see cref="ArgumentException"/> naming the option, so a bad setting stops the start.
/// </summary>
public sealed class BlobStoreOptions
{
    /// <summary>The --blobs value; null for the default, disk:&lt;data&gt;/blobs.</summary>
    public string? Spec { get; init; }

    /// <summary>--blobs-endpoint / CLOUDKEEP_BLOBS_ENDPOINT: http(s)://host:port of the S3-compatible backend.</summary>
    public string? Endpoint { get; init; }

    /// <summary>CLOUDKEEP_BLOBS_REGION: the region requests are signed for (RGW accepts us-east-1).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>--blobs-credentials / CLOUDKEEP_BLOBS_CREDENTIALS: an AWS-style credentials file, mode 0600.</summary>
    public string? CredentialsFile { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary>The settings as serve and the admin commands read them: the option's value, else the environment's.</summary>
    public static BlobStoreOptions FromEnvironment(string? spec, string? endpoint = null, string? credentialsFile = null)
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var ownKey = Env("CLOUDKEEP_BLOBS_ACCESS_KEY_ID");
        return new BlobStoreOptions
        {
            Spec = spec ?? Env("CLOUDKEEP_BLOBS"),
            Endpoint = endpoint ?? Env("CLOUDKEEP_BLOBS_ENDPOINT"),
            Region = Env("CLOUDKEEP_BLOBS_REGION") ?? "us-east-1",
            CredentialsFile = credentialsFile ?? Env("CLOUDKEEP_BLOBS_CREDENTIALS"),

            // The pair is taken together: a key id of one source never goes with a secret of another.
            AccessKeyId = ownKey ?? Env("AWS_ACCESS_KEY_ID"),
            SecretAccessKey = ownKey is not null ? Env("CLOUDKEEP_BLOBS_SECRET_ACCESS_KEY") : Env("AWS_SECRET_ACCESS_KEY"),
        };
    }

    /// <summary>Whether the blobs live in an S3-compatible backend rather than a directory.</summary>
    public bool IsS3 => Spec is not null && Spec.StartsWith("s3://", StringComparison.Ordinal);

    /// <summary>The directory of a disk store: DIR of disk:DIR, else &lt;data&gt;/blobs.</summary>
    public string DiskRoot(string dataDirectory)
    {
        if (Spec is null)
        {
            return LocalDiskBlobStore.DefaultRoot(dataDirectory);
        }

        if (!Spec.StartsWith("disk:", StringComparison.Ordinal) || Spec.Length == "disk:".Length)
        {
            throw new ArgumentException($"--blobs '{Spec}': expected disk:DIR or s3://BUCKET[/PREFIX].");
        }

        return Path.GetFullPath(Spec["disk:".Length..]);
    }

    /// <summary>Opens the store these options name; checks everything it can without reaching the backend.</summary>
    public IBlobStore Create(string dataDirectory, TimeProvider time)
    {
        if (!IsS3)
        {
            return new LocalDiskBlobStore(DiskRoot(dataDirectory), time);
        }

        var (bucket, prefix) = ParseS3(Spec!);
        Uri? endpoint = null;
        if (Endpoint is not null && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"--blobs-endpoint '{Endpoint}' is not an http:// or https:// URL.");
        }

        var (accessKeyId, secretAccessKey) = Credentials();
        return new S3BlobStore(S3BlobStore.CreateClient(endpoint, Region, accessKeyId, secretAccessKey), bucket, prefix, time);
    }

    /// <summary>s3://BUCKET[/PREFIX]: the bucket as S3 names them (3-63 of a-z, 0-9, '.', '-'), the prefix as given.</summary>
    public static (string Bucket, string Prefix) ParseS3(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var rest = spec["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
        {
            throw new ArgumentException($"--blobs '{spec}': '{bucket}' is not a bucket name (3-63 lower-case letters, digits, dots and dashes).");
        }

        if (prefix.Contains("//", StringComparison.Ordinal) || prefix.Any(char.IsControl))
        {
            throw new ArgumentException($"--blobs '{spec}': the prefix must not hold empty segments or control characters.");
        }

        return (bucket, prefix);
    }

    private (string AccessKeyId, string SecretAccessKey) Credentials()
    {
        if (CredentialsFile is not null)
        {
            return ReadCredentialsFile(CredentialsFile);
        }

        if (AccessKeyId is null || SecretAccessKey is null)
        {
            throw new ArgumentException("--blobs s3://...: no credentials for the backend: give --blobs-credentials FILE (mode 0600), or CLOUDKEEP_BLOBS_ACCESS_KEY_ID and CLOUDKEEP_BLOBS_SECRET_ACCESS_KEY (else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).");
        }

        return (AccessKeyId, SecretAccessKey);
    }

    /// <summary>
    /// An AWS-style credentials file: aws_access_key_id and aws_secret_access_key, bare or under [default] (or the
    /// file's only profile). A file that others may read is refused, as ssh refuses such a key: the secret would not
    /// be the operator's alone.
    /// </summary>
    public static (string AccessKeyId, string SecretAccessKey) ReadCredentialsFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ArgumentException($"--blobs-credentials {path}: no such file.");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = info.UnixFileMode;
            const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & Others) != 0)
            {
                throw new ArgumentException($"--blobs-credentials {path}: its mode is {Convert.ToString((int)mode, 8).PadLeft(4, '0')}, so others may read the secret; make it 0600 (chmod 600 {path}).");
            }
        }

        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var section = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                if (!sections.TryGetValue(section, out var values))
                {
                    sections[section] = values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                }

                values[line[..equals].Trim()] = line[(equals + 1)..].Trim();
            }
        }

        var chosen = sections.GetValueOrDefault("default") ?? sections.GetValueOrDefault("") ?? (sections.Count == 1 ? sections.Values.First() : null);
        if (chosen is null || !chosen.TryGetValue("aws_access_key_id", out var id) || !chosen.TryGetValue("aws_secret_access_key", out var secret) || id.Length == 0 || secret.Length == 0)
        {
            throw new ArgumentException($"--blobs-credentials {path}: expected aws_access_key_id and aws_secret_access_key, bare or under [default].");
        }

        return (id, secret);
    }

    public override string ToString() => Spec ?? "disk (default)";
}
