using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Cloudkeep.Secrets;

/// <summary>
/// Walks a document the way sops does (sops.go walkBranch/walkSlice) to encrypt or decrypt every
/// leaf and compute the MAC. A value's additional data is its path of mapping keys joined by ":"
/// plus a trailing ":" (list indices are not part of it). The MAC is SHA-512 over the plaintext
/// values in document order, upper-case hex; comments never count, and with mac_only_encrypted
/// only the values that end up encrypted count, after a fixed 32-byte prefix.
/// </summary>
internal static class SopsTreeCrypt
{
    /// <summary>sha256("sops"): the MAC's starting bytes under mac_only_encrypted, so the two kinds of MAC never coincide.</summary>
    private static readonly byte[] MacOnlyEncryptedInitialization =
    [
        0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
        0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
    ];

    private delegate object? Leaf(object value, IReadOnlyList<string> path, List<List<string>> comments);

    /// <summary>Encrypts every value that the file's rules select, in place, and returns the MAC of the plaintext.</summary>
    public static string Encrypt(List<SopsMap> branches, SopsMetadata metadata, byte[] dataKey, SopsValueCipher cipher)
    {
        using var hash = NewHash(metadata);
        foreach (var branch in branches)
        {
            WalkMap(branch, [], [], (value, path, comments) =>
            {
                var isComment = value is SopsComment;
                var encrypted = ShouldBeEncrypted(metadata, path, comments, isComment);
                if ((!metadata.MacOnlyEncrypted || encrypted) && !isComment)
                {
                    hash.AppendData(GoFormat.MacBytes(value));
                }

                return encrypted ? cipher.Encrypt(value, dataKey, AdditionalData(path)) : value;
            });
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Decrypts every value that the file's rules say is encrypted, in place, and returns the MAC of the plaintext.</summary>
    public static string Decrypt(List<SopsMap> branches, SopsMetadata metadata, byte[] dataKey, SopsValueCipher cipher)
    {
        using var hash = NewHash(metadata);
        foreach (var branch in branches)
        {
            WalkMap(branch, [], [], (value, path, comments) =>
            {
                var isComment = value is SopsComment;
                var encrypted = ShouldBeEncrypted(metadata, path, comments, isComment);
                object plain = value;
                if (encrypted && value is SopsComment comment)
                {
                    // Comments written by sops before 3.6 were never encrypted: keep them as they are, as sops does.
                    plain = SopsValueCipher.IsEncrypted(comment.Value) ? cipher.Decrypt(comment.Value, dataKey, AdditionalData(path)) : comment;
                }
                else if (encrypted)
                {
                    plain = value is string text
                        ? cipher.Decrypt(text, dataKey, AdditionalData(path))
                        : throw new SopsException(SopsExitCodes.ErrorDecryptingTree, $"the value at '{AdditionalData(path)}' should be encrypted but is a plain {value.GetType().Name}");
                }

                if ((!metadata.MacOnlyEncrypted || encrypted) && plain is not SopsComment)
                {
                    hash.AppendData(GoFormat.MacBytes(plain));
                }

                return plain;
            });
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The MAC is stored encrypted under the data key with lastmodified as its additional data, so changing either is detected.</summary>
    public static string EncryptMac(string mac, SopsMetadata metadata, byte[] dataKey, SopsValueCipher cipher) =>
        (string)cipher.Encrypt(mac, dataKey, metadata.LastModified);

    public static string DecryptMac(SopsMetadata metadata, byte[] dataKey, SopsValueCipher cipher)
    {
        if (string.IsNullOrEmpty(metadata.Mac))
        {
            throw new SopsException(SopsExitCodes.MacNotFound, "the file has no MAC (sops.mac is empty)");
        }

        try
        {
            return (string)cipher.Decrypt(metadata.Mac, dataKey, metadata.LastModified);
        }
        catch (SopsException e)
        {
            throw new SopsException(SopsExitCodes.ErrorDecryptingMac, "failed to decrypt the MAC: it or lastmodified was altered, or the data key is wrong", e);
        }
    }

    public static string AdditionalData(IReadOnlyList<string> path) => string.Join(':', path) + ":";

    private static IncrementalHash NewHash(SopsMetadata metadata)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        if (metadata.MacOnlyEncrypted)
        {
            hash.AppendData(MacOnlyEncryptedInitialization);
        }

        return hash;
    }

    private static object? WalkValue(object? value, List<string> path, List<List<string>> comments, Leaf leaf) => value switch
    {
        null => null,
        SopsMap map => WalkMap(map, path, comments, leaf),
        List<object?> list => WalkList(list, path, comments, leaf),
        _ => leaf(value, path, comments),
    };

    private static SopsMap WalkMap(SopsMap map, List<string> path, List<List<string>> comments, Leaf leaf)
    {
        var stack = new List<List<string>>(comments) { new() };
        foreach (var item in map)
        {
            if (item.Key is SopsComment keyComment)
            {
                stack[^1].Add(keyComment.Value);
                item.Key = WalkValue(keyComment, path, stack, leaf) switch
                {
                    SopsComment c => c,
                    string s => new SopsComment(s),
                    var other => throw new SopsException(SopsExitCodes.ErrorGeneric, $"a comment became a {other?.GetType().Name}"),
                };
                continue;
            }

            var valueIsComment = item.Value is SopsComment;
            if (item.Value is SopsComment valueComment)
            {
                stack[^1].Add(valueComment.Value);
            }

            var key = item.Key as string ?? throw new SopsException(SopsExitCodes.ErrorGeneric, "the tree contains a non-string key; only string keys are supported");
            item.Value = WalkValue(item.Value, [.. path, key], stack, leaf);
            if (!valueIsComment)
            {
                stack[^1] = [];
            }
        }

        return map;
    }

    private static List<object?> WalkList(List<object?> list, List<string> path, List<List<string>> comments, Leaf leaf)
    {
        var stack = new List<List<string>>(comments) { new() };
        for (var i = 0; i < list.Count; i++)
        {
            var isComment = list[i] is SopsComment;
            if (list[i] is SopsComment comment)
            {
                stack[^1].Add(comment.Value);
            }

            list[i] = WalkValue(list[i], path, stack, leaf);
            if (!isComment)
            {
                stack[^1] = [];
            }
        }

        return list;
    }

    /// <summary>sops.go shouldBeEncrypted: the suffix and regex rules apply to any key on the path; comment rules to the comments above.</summary>
    private static bool ShouldBeEncrypted(SopsMetadata m, IReadOnlyList<string> path, List<List<string>> comments, bool isComment)
    {
        var encrypted = true;
        if (!string.IsNullOrEmpty(m.UnencryptedSuffix) && path.Any(p => p.EndsWith(m.UnencryptedSuffix, StringComparison.Ordinal)))
        {
            encrypted = false;
        }

        if (!string.IsNullOrEmpty(m.EncryptedSuffix))
        {
            encrypted = path.Any(p => p.EndsWith(m.EncryptedSuffix, StringComparison.Ordinal));
        }

        if (!string.IsNullOrEmpty(m.UnencryptedRegex) && path.Any(p => Regex.IsMatch(p, m.UnencryptedRegex)))
        {
            encrypted = false;
        }

        if (!string.IsNullOrEmpty(m.EncryptedRegex))
        {
            encrypted = path.Any(p => Regex.IsMatch(p, m.EncryptedRegex));
        }

        if (!string.IsNullOrEmpty(m.UnencryptedCommentRegex) && comments.Any(cs => cs.Any(c => Regex.IsMatch(c, m.UnencryptedCommentRegex))))
        {
            encrypted = false;
        }

        if (!string.IsNullOrEmpty(m.EncryptedCommentRegex))
        {
            encrypted = false;
            for (var i = 0; i < comments.Count && !encrypted; i++)
            {
                for (var j = 0; j < comments[i].Count; j++)
                {
                    // The comment line that matches is itself left in clear; only what follows it is encrypted.
                    if (isComment && i == comments.Count - 1 && j == comments[i].Count - 1)
                    {
                        continue;
                    }

                    if (Regex.IsMatch(comments[i][j], m.EncryptedCommentRegex))
                    {
                        encrypted = true;
                        break;
                    }
                }
            }
        }

        return encrypted;
    }
}
