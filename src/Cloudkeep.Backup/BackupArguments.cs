namespace Cloudkeep.Backup;

/// <summary><c>backup run</c>: dump DATABASE, encrypt it to RECIPIENT, upload it to BUCKET as NAME by a pre-signed POST; verify it when a private key is given.</summary>
public sealed record BackupRunArguments(string Database, string Bucket, string RecipientKeyFile, string NameTemplate)
{
    /// <summary>The SOPS file holding the private key (and its passphrase) for the verification; none skips it.</summary>
    public string? PrivateKeyFile { get; init; }

    /// <summary>The canned ACL the POST sets and its policy requires.</summary>
    public string? Acl { get; init; } = "bucket-owner-full-control";

    /// <summary>How long the pre-signed POST works: the seed's 600 seconds.</summary>
    public TimeSpan PostExpiresIn { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Where pg_dump and psql are (default: PATH).</summary>
    public string? PostgresBin { get; init; }
}

/// <summary><c>backup restore</c>: OBJECT (a key, or <c>latest</c> under PREFIX) from BUCKET into the database INTO.</summary>
public sealed record BackupRestoreArguments(string Bucket, string ObjectKey, string Into, string PrivateKeyFile)
{
    /// <summary>With <c>--object latest</c>: only keys under this prefix (a stage's dumps).</summary>
    public string? Prefix { get; init; }

    /// <summary>SQL run after the restore (the weekly cleaning).</summary>
    public string? ThenSql { get; init; }

    /// <summary>Dump the restored (cleaned) database again, as <c>backup run</c> does, into this bucket...</summary>
    public string? RedumpBucket { get; init; }

    /// <summary>...under this name template...</summary>
    public string? RedumpName { get; init; }

    /// <summary>...encrypted to this public key.</summary>
    public string? RedumpRecipientKeyFile { get; init; }

    public string? PostgresBin { get; init; }
}
