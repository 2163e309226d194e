namespace Cloudkeep.Secrets;

/// <summary>The <c>sops</c> block of an encrypted file (stores/stores.go's Metadata), in the internal form.</summary>
internal sealed class SopsMetadata
{
    /// <summary>The master keys; one group unless the file uses key_groups.</summary>
    public List<List<MasterKey>> KeyGroups { get; set; } = [[]];

    /// <summary>Whether the file spells its keys as key_groups (kept on rewrite).</summary>
    public bool WrittenAsKeyGroups { get; set; }

    public int ShamirThreshold { get; set; }

    /// <summary>RFC 3339, exactly as found or written: it is the MAC's additional data.</summary>
    public string LastModified { get; set; } = "";

    public string Mac { get; set; } = "";

    public string? UnencryptedSuffix { get; set; }

    public string? EncryptedSuffix { get; set; }

    public string? UnencryptedRegex { get; set; }

    public string? EncryptedRegex { get; set; }

    public string? UnencryptedCommentRegex { get; set; }

    public string? EncryptedCommentRegex { get; set; }

    public bool MacOnlyEncrypted { get; set; }

    public string Version { get; set; } = SopsVersion;

    /// <summary>The sops release whose format the files we write follow.</summary>
    public const string SopsVersion = "3.9.4";

    public const string DefaultUnencryptedSuffix = "_unencrypted";

    public IEnumerable<MasterKey> AllKeys => KeyGroups.SelectMany(group => group);

    /// <summary>sops allows one of the four rules per file and assumes _unencrypted when none is set.</summary>
    public void ApplyDefaultRule()
    {
        var rules = new[] { UnencryptedSuffix, EncryptedSuffix, UnencryptedRegex, EncryptedRegex }.Count(rule => !string.IsNullOrEmpty(rule));
        if (rules > 1)
        {
            throw new SopsException(SopsExitCodes.ErrorGeneric, "cannot use more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex or unencrypted_regex in the same file");
        }

        if (rules == 0)
        {
            UnencryptedSuffix = DefaultUnencryptedSuffix;
        }
    }
}

/// <summary>One master key entry: it holds the file's data key, encrypted.</summary>
internal abstract class MasterKey
{
    /// <summary>The data key encrypted to this master key (base64 KMS blob, armored PGP or age message).</summary>
    public string Enc { get; set; } = "";

    public string CreatedAt { get; set; } = "";

    /// <summary>What the user sees in errors: the ARN, fingerprint or recipient.</summary>
    public abstract string Name { get; }

    /// <summary>Whether two entries are the same key (updatekeys keeps the existing enc of such a key).</summary>
    public abstract bool SameKey(MasterKey other);
}

/// <summary>An AWS KMS key: the data key is KMS-encrypted under the key's ARN, optionally as a role and with an encryption context.</summary>
internal sealed class KmsMasterKey : MasterKey
{
    public required string Arn { get; init; }

    public string? Role { get; init; }

    /// <summary>The encryption context, in file order (KMS itself does not care about order).</summary>
    public List<KeyValuePair<string, string>>? Context { get; init; }

    public string AwsProfile { get; init; } = "";

    public override string Name => Role is null ? Arn : $"{Arn}+{Role}";

    public override bool SameKey(MasterKey other) => other is KmsMasterKey k && k.Arn == Arn && k.Role == Role && k.AwsProfile == AwsProfile
        && (k.Context ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual((Context ?? []).OrderBy(p => p.Key, StringComparer.Ordinal));

    /// <summary>sops's notation <c>key-arn+role-arn</c> (kms.NewMasterKeyFromArn).</summary>
    public static KmsMasterKey FromArnString(string text, List<KeyValuePair<string, string>>? context, string awsProfile)
    {
        var arn = text.Replace(" ", "", StringComparison.Ordinal);
        var roleIndex = arn.IndexOf("+arn:aws", StringComparison.Ordinal);
        return roleIndex > 0
            ? new KmsMasterKey { Arn = arn[..roleIndex], Role = arn[(roleIndex + 1)..], Context = context, AwsProfile = awsProfile }
            : new KmsMasterKey { Arn = arn, Context = context, AwsProfile = awsProfile };
    }
}

/// <summary>An OpenPGP key, named by its fingerprint.</summary>
internal sealed class PgpMasterKey : MasterKey
{
    public required string Fingerprint { get; init; }

    public override string Name => Fingerprint;

    public override bool SameKey(MasterKey other) => other is PgpMasterKey p && string.Equals(p.Fingerprint, Fingerprint, StringComparison.OrdinalIgnoreCase);
}

/// <summary>An age X25519 recipient.</summary>
internal sealed class AgeMasterKey : MasterKey
{
    public required string Recipient { get; init; }

    public override string Name => Recipient;

    public override bool SameKey(MasterKey other) => other is AgeMasterKey a && a.Recipient == Recipient;
}

/// <summary>A key kind this tool cannot use (gcp_kms, azure_kv, hc_vault): kept as found so a rewrite does not drop it.</summary>
internal sealed class ForeignMasterKey : MasterKey
{
    public required string Kind { get; init; }

    public required SopsMap Entry { get; init; }

    public override string Name => $"{Kind} key";

    public override bool SameKey(MasterKey other) => ReferenceEquals(this, other);
}
