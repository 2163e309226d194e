using System.Globalization;

namespace Cloudkeep.Secrets;

/// <summary>
/// Reads and writes the <c>sops</c> block as a tree, in the field order of sops's stores.Metadata so
/// that files we write look like the files sops writes. Empty key lists are left out, as sops 3.9 does.
/// </summary>
internal static class SopsMetadataCodec
{
    public const string Key = "sops";

    private static readonly string[] ForeignKinds = ["gcp_kms", "azure_kv", "hc_vault"];

    public static SopsMetadata Read(object? node)
    {
        if (node is not SopsMap map)
        {
            throw new SopsException(SopsExitCodes.ErrorGeneric, "sops metadata not found");
        }

        var metadata = new SopsMetadata
        {
            ShamirThreshold = map["shamir_threshold"] switch { long l => (int)l, string s when int.TryParse(s, CultureInfo.InvariantCulture, out var i) => i, _ => 0 },
            LastModified = Text(map["lastmodified"]),
            Mac = Text(map["mac"]),
            UnencryptedSuffix = Optional(map["unencrypted_suffix"]),
            EncryptedSuffix = Optional(map["encrypted_suffix"]),
            UnencryptedRegex = Optional(map["unencrypted_regex"]),
            EncryptedRegex = Optional(map["encrypted_regex"]),
            UnencryptedCommentRegex = Optional(map["unencrypted_comment_regex"]),
            EncryptedCommentRegex = Optional(map["encrypted_comment_regex"]),
            MacOnlyEncrypted = map["mac_only_encrypted"] is true or "true",
            Version = Text(map["version"]),
        };
        var flat = ReadGroup(map);
        if (flat.Count > 0)
        {
            metadata.KeyGroups = [flat];
        }
        else if (map["key_groups"] is List<object?> groups && groups.Count > 0)
        {
            metadata.KeyGroups = [.. groups.OfType<SopsMap>().Select(ReadGroup)];
            metadata.WrittenAsKeyGroups = true;
        }
        else
        {
            throw new SopsException(SopsExitCodes.ErrorGeneric, "no keys found in file");
        }

        metadata.ApplyDefaultRule();
        return metadata;
    }

    public static SopsMap Write(SopsMetadata metadata)
    {
        var map = new SopsMap();
        if (metadata.ShamirThreshold > 0 && metadata.KeyGroups.Count > 1)
        {
            map["shamir_threshold"] = (long)metadata.ShamirThreshold;
        }

        if (metadata.WrittenAsKeyGroups || metadata.KeyGroups.Count > 1)
        {
            var groups = new List<object?>();
            foreach (var group in metadata.KeyGroups)
            {
                var groupMap = new SopsMap();
                WriteGroup(groupMap, group);
                groups.Add(groupMap);
            }

            map["key_groups"] = groups;
        }
        else
        {
            WriteGroup(map, metadata.KeyGroups[0], beforeLastModified: true);
        }

        map["lastmodified"] = metadata.LastModified;
        map["mac"] = metadata.Mac;
        if (!(metadata.WrittenAsKeyGroups || metadata.KeyGroups.Count > 1))
        {
            WriteGroup(map, metadata.KeyGroups[0], beforeLastModified: false);
        }

        AddIfSet(map, "unencrypted_suffix", metadata.UnencryptedSuffix);
        AddIfSet(map, "encrypted_suffix", metadata.EncryptedSuffix);
        AddIfSet(map, "unencrypted_regex", metadata.UnencryptedRegex);
        AddIfSet(map, "encrypted_regex", metadata.EncryptedRegex);
        AddIfSet(map, "unencrypted_comment_regex", metadata.UnencryptedCommentRegex);
        AddIfSet(map, "encrypted_comment_regex", metadata.EncryptedCommentRegex);
        if (metadata.MacOnlyEncrypted)
        {
            map["mac_only_encrypted"] = true;
        }

        map["version"] = metadata.Version;
        return map;
    }

    private static List<MasterKey> ReadGroup(SopsMap map)
    {
        var keys = new List<MasterKey>();
        foreach (var entry in Entries(map, "kms"))
        {
            List<KeyValuePair<string, string>>? context = null;
            if (entry["context"] is SopsMap contextMap && contextMap.Count > 0)
            {
                context = [.. contextMap.Where(i => i.Key is string).Select(i => new KeyValuePair<string, string>((string)i.Key, Text(i.Value)))];
            }

            keys.Add(new KmsMasterKey
            {
                Arn = Text(entry["arn"]),
                Role = Optional(entry["role"]),
                Context = context,
                AwsProfile = Text(entry["aws_profile"]),
                CreatedAt = Text(entry["created_at"]),
                Enc = Text(entry["enc"]),
            });
        }

        foreach (var kind in ForeignKinds)
        {
            keys.AddRange(Entries(map, kind).Select(entry => new ForeignMasterKey { Kind = kind, Entry = entry, Enc = Text(entry["enc"]), CreatedAt = Text(entry["created_at"]) }));
        }

        keys.AddRange(Entries(map, "pgp").Select(entry => new PgpMasterKey { Fingerprint = Text(entry["fp"]), CreatedAt = Text(entry["created_at"]), Enc = Text(entry["enc"]) }));
        keys.AddRange(Entries(map, "age").Select(entry => new AgeMasterKey { Recipient = Text(entry["recipient"]), Enc = Text(entry["enc"]) }));
        return keys;
    }

    /// <summary>
    /// sops's order puts kms, gcp_kms, azure_kv, hc_vault and age before lastmodified and mac, and pgp after;
    /// this writes one half or the other. Inside key_groups, everything goes in one call.
    /// </summary>
    private static void WriteGroup(SopsMap map, List<MasterKey> keys, bool? beforeLastModified = null)
    {
        if (beforeLastModified is null or true)
        {
            AddList(map, "kms", keys.OfType<KmsMasterKey>().Select(k =>
            {
                var entry = new SopsMap { new("arn", k.Arn) };
                if (!string.IsNullOrEmpty(k.Role))
                {
                    entry["role"] = k.Role;
                }

                if (k.Context is { Count: > 0 })
                {
                    var context = new SopsMap();
                    context.AddRange(k.Context.Select(p => new SopsItem(p.Key, p.Value)));
                    entry["context"] = context;
                }

                entry["created_at"] = k.CreatedAt;
                entry["enc"] = k.Enc;
                entry["aws_profile"] = k.AwsProfile;
                return entry;
            }));
            foreach (var kind in ForeignKinds)
            {
                AddList(map, kind, keys.OfType<ForeignMasterKey>().Where(k => k.Kind == kind).Select(k => k.Entry));
            }

            AddList(map, "age", keys.OfType<AgeMasterKey>().Select(k => new SopsMap { new("recipient", k.Recipient), new("enc", k.Enc) }));
        }

        if (beforeLastModified is null or false)
        {
            AddList(map, "pgp", keys.OfType<PgpMasterKey>().Select(k => new SopsMap { new("created_at", k.CreatedAt), new("enc", k.Enc), new("fp", k.Fingerprint) }));
        }
    }

    private static void AddList(SopsMap map, string key, IEnumerable<SopsMap> entries)
    {
        var list = entries.Cast<object?>().ToList();
        if (list.Count > 0)
        {
            map[key] = list;
        }
    }

    private static void AddIfSet(SopsMap map, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            map[key] = value;
        }
    }

    private static IEnumerable<SopsMap> Entries(SopsMap map, string key) => map[key] is List<object?> list ? list.OfType<SopsMap>() : [];

    private static string? Optional(object? value) => value is null ? null : Text(value) is { Length: > 0 } text ? text : null;

    /// <summary>Old files (sops 1.x) wrote created_at as a float and version as a number; everything is read as text.</summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => GoFormat.Float(d),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };
}
