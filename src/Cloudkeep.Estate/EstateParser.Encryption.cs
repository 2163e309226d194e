using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// A bucket's default encryption: <c>encryption: AES256</c> (or <c>aws:kms</c>, <c>aws:kms:dsse</c>)
/// or a mapping <c>{algorithm, kmsKeyId, bucketKey}</c>. Kept as canonical JSON
/// <c>{"algorithm":…,"bucketKey":…,"kmsKeyId":…}</c>, the shape BucketHandler reads S3's answer
/// into, so the same setting compares equal however it was written.
/// </summary>
internal sealed partial class EstateParser
{
    /// <summary>What a general purpose bucket may name as its default.</summary>
    private static readonly string[] EncryptionAlgorithms = ["AES256", "aws:kms", "aws:kms:dsse"];

    private string? Encryption(YamlNode node, string at)
    {
        if (node is YamlScalarNode)
        {
            return Algorithm(node, at) is { } named ? EncryptionJson(named, null, false) : null;
        }

        if (node is not YamlMappingNode map)
        {
            return ErrorValue(node, at, "must be an algorithm (AES256, aws:kms or aws:kms:dsse) or a mapping {algorithm, kmsKeyId, bucketKey}");
        }

        var errors = _errors.Count;
        string? algorithm = null;
        string? keyId = null;
        var bucketKey = false;
        YamlNode? keyNode = null;
        YamlNode? bucketKeyNode = null;
        foreach (var (key, value) in Entries(map, at, ["algorithm", "kmsKeyId", "bucketKey"]))
        {
            var here = $"{at}.{key}";
            switch (key)
            {
                case "algorithm":
                    algorithm = Algorithm(value, here);
                    break;
                case "kmsKeyId":
                    keyNode = value;
                    keyId = KmsKeyId(value, here);
                    break;
                default:
                    bucketKeyNode = value;
                    bucketKey = Bool(value, here) == true;
                    break;
            }
        }

        if (!map.Children.ContainsKey(new YamlScalarNode("algorithm")))
        {
            Error(node, at, "'algorithm' is required (AES256, aws:kms or aws:kms:dsse)");
        }
        else if (algorithm == "AES256" && keyNode is not null)
        {
            // S3 answers InvalidArgument for a KMSMasterKeyID with AES256.
            Error(keyNode, $"{at}.kmsKeyId", "a KMS key needs algorithm aws:kms or aws:kms:dsse (S3 refuses one with AES256)");
        }
        else if (algorithm is not null && algorithm != "aws:kms" && bucketKey)
        {
            Error(bucketKeyNode!, $"{at}.bucketKey", "an S3 Bucket Key is for algorithm aws:kms only");
        }

        return _errors.Count == errors && algorithm is not null ? EncryptionJson(algorithm, keyId, bucketKey) : null;
    }

    private string? Algorithm(YamlNode node, string at) => Text(node, at) switch
    {
        null => null,
        var algorithm when EncryptionAlgorithms.Contains(algorithm) => algorithm,
        var other => ErrorValue(node, at, $"'{other}' is not an encryption algorithm; expected AES256 (SSE-S3), aws:kms or aws:kms:dsse" + (Suggestions.Closest(other, EncryptionAlgorithms) is { } close ? $"; did you mean '{close}'?" : "")),
    };

    /// <summary>A key id, key or alias ARN, alias/NAME, or a reference to an estate key (<c>${key.ACCOUNT.NAME.arn}</c> or <c>.id</c>).</summary>
    private string? KmsKeyId(YamlNode node, string at)
    {
        if (Text(node, at) is not { } text)
        {
            return null;
        }

        if (text.Length == 0)
        {
            return ErrorValue(node, at, "must not be empty");
        }

        if (text.Contains("${", StringComparison.Ordinal) && !KeyReference().IsMatch(text))
        {
            return ErrorValue(node, at, "a reference here names an estate key: ${key.ACCOUNT.NAME.arn} or ${key.ACCOUNT.NAME.id}");
        }

        return text;
    }

    private static string EncryptionJson(string algorithm, string? keyId, bool bucketKey)
    {
        var json = new JsonObject { ["algorithm"] = algorithm, ["bucketKey"] = bucketKey };
        if (keyId is not null)
        {
            json["kmsKeyId"] = keyId;
        }

        return CanonicalJson.Of(json);
    }

    [GeneratedRegex(@"^\$\{key\.[^.}]+\.[^.}]+\.(arn|id)\}$")]
    private static partial Regex KeyReference();
}
