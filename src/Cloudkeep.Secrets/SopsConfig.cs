using System.Text.RegularExpressions;
using Cloudkeep.Secrets.Stores;

namespace Cloudkeep.Secrets;

/// <summary>
/// .sops.yaml creation rules (config/config.go): the first rule whose path_regex matches the file
/// (or that has none) gives the master keys and the encryption rules. The file is looked for from
/// the working directory upwards, as sops does, unless --config names it. path_regex is tried
/// against the path as given and against the path relative to the config file's directory.
/// </summary>
internal sealed class SopsConfig
{
    public const string FileName = ".sops.yaml";

    private readonly string _directory;
    private readonly List<SopsMap> _rules;

    private SopsConfig(string directory, List<SopsMap> rules)
    {
        _directory = directory;
        _rules = rules;
    }

    public static SopsConfig? Find(string? explicitPath, string workingDirectory)
    {
        var path = explicitPath;
        if (path is null)
        {
            for (var directory = new DirectoryInfo(workingDirectory); directory is not null; directory = directory.Parent)
            {
                foreach (var name in new[] { FileName, ".sops.yml" })
                {
                    var candidate = Path.Combine(directory.FullName, name);
                    if (File.Exists(candidate))
                    {
                        path = candidate;
                        break;
                    }
                }

                if (path is not null)
                {
                    break;
                }
            }

            if (path is null)
            {
                return null;
            }
        }
        else if (!File.Exists(path))
        {
            throw new SopsException(SopsExitCodes.ConfigFileNotFound, $"config file {path} not found");
        }

        List<SopsMap> documents;
        try
        {
            documents = new YamlStore().LoadPlain(File.ReadAllBytes(path));
        }
        catch (SopsException e)
        {
            throw new SopsException(SopsExitCodes.ErrorReadingConfig, $"cannot read {path}: {e.Message}", e);
        }

        var rules = documents.FirstOrDefault()?["creation_rules"] as List<object?> ?? [];
        return new SopsConfig(Path.GetDirectoryName(Path.GetFullPath(path))!, [.. rules.OfType<SopsMap>()]);
    }

    /// <summary>The metadata template (keys without enc, and the rules) of the first matching creation rule, or null.</summary>
    public SopsMetadata? ForFile(string filePath, List<KeyValuePair<string, string>>? context)
    {
        var relative = Path.GetRelativePath(_directory, Path.GetFullPath(filePath)).Replace('\\', '/');
        foreach (var rule in _rules)
        {
            if (rule["path_regex"] is string pattern && !Regex.IsMatch(filePath, pattern) && !Regex.IsMatch(relative, pattern))
            {
                continue;
            }

            var metadata = new SopsMetadata
            {
                UnencryptedSuffix = rule["unencrypted_suffix"] as string,
                EncryptedSuffix = rule["encrypted_suffix"] as string,
                UnencryptedRegex = rule["unencrypted_regex"] as string,
                EncryptedRegex = rule["encrypted_regex"] as string,
                UnencryptedCommentRegex = rule["unencrypted_comment_regex"] as string,
                EncryptedCommentRegex = rule["encrypted_comment_regex"] as string,
                MacOnlyEncrypted = rule["mac_only_encrypted"] is true,
            };
            var profile = rule["aws_profile"] as string ?? "";
            if (rule["key_groups"] is List<object?> groups && groups.Count > 0)
            {
                metadata.KeyGroups = [.. groups.OfType<SopsMap>().Select(g => GroupKeys(g, profile, context))];
                metadata.WrittenAsKeyGroups = true;
                metadata.ShamirThreshold = rule["shamir_threshold"] is long threshold ? (int)threshold : 0;
            }
            else
            {
                metadata.KeyGroups = [GroupKeys(rule, profile, context)];
            }

            return metadata;
        }

        return null;
    }

    private static List<MasterKey> GroupKeys(SopsMap rule, string profile, List<KeyValuePair<string, string>>? context)
    {
        var keys = new List<MasterKey>();
        switch (rule["kms"])
        {
            case string arns:
                keys.AddRange(SecretsKeyArguments.Kms(arns, context, profile));
                break;
            case List<object?> entries:
                foreach (var entry in entries.OfType<SopsMap>())
                {
                    var entryContext = entry["context"] is SopsMap map ? [.. map.Where(i => i.Key is string).Select(i => new KeyValuePair<string, string>((string)i.Key, i.Value?.ToString() ?? ""))] : context;
                    keys.Add(new KmsMasterKey
                    {
                        Arn = entry["arn"] as string ?? "",
                        Role = entry["role"] as string,
                        Context = entryContext,
                        AwsProfile = entry["aws_profile"] as string ?? profile,
                    });
                }

                break;
        }

        keys.AddRange(SecretsKeyArguments.Pgp(Joined(rule["pgp"])));
        keys.AddRange(SecretsKeyArguments.Age(Joined(rule["age"])));
        return keys;
    }

    private static string? Joined(object? value) => value switch
    {
        string s => s,
        List<object?> list => string.Join(',', list.Select(v => v?.ToString())),
        _ => null,
    };
}

/// <summary>The command-line spellings of master keys: comma-separated lists, as sops takes them.</summary>
internal static class SecretsKeyArguments
{
    public static IEnumerable<KmsMasterKey> Kms(string? arns, List<KeyValuePair<string, string>>? context, string profile) =>
        Split(arns).Select(arn => KmsMasterKey.FromArnString(arn, context, profile));

    public static IEnumerable<PgpMasterKey> Pgp(string? fingerprints) =>
        Split(fingerprints).Select(fp => new PgpMasterKey { Fingerprint = fp.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() });

    public static IEnumerable<AgeMasterKey> Age(string? recipients) =>
        Split(recipients).Select(r => new AgeMasterKey { Recipient = r });

    /// <summary>--encryption-context "key:value,key2:value2" (kms.ParseKMSContext).</summary>
    public static List<KeyValuePair<string, string>>? Context(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in text.Split(','))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2)
            {
                throw new SopsException(SopsExitCodes.ErrorInvalidKmsEncryptionContextFormat, "invalid KMS encryption context format: use key:value,key2:value2");
            }

            pairs.Add(new(parts[0], parts[1]));
        }

        return pairs;
    }

    private static string[] Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
