using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// A bucket's server access logging: <c>{bucket, prefix, partitionedBy}</c>, kept as canonical JSON
/// <c>{"bucket":"arn:aws:s3:::NAME","prefix":…[,"partitionedBy":"EventTime"|"DeliveryTime"]}</c>
/// (the target as an ARN, so a bucket the file declares can be a reference apply creates first);
/// <c>{}</c> turns logging off (an empty BucketLoggingStatus).
/// </summary>
internal sealed partial class EstateParser
{
    private static readonly string[] LoggingKeys = ["bucket", "prefix", "partitionedBy"];

    /// <summary>Targets named by a plain name or ARN, and the node of each bucket's logging key, for the checks made once every bucket is known.</summary>
    private readonly List<(string Account, string Source, string Target, YamlNode Node, string At)> _logTargets = [];

    private string? Logging(string account, string bucket, YamlNode node, string at)
    {
        if (node is YamlMappingNode { Children.Count: 0 })
        {
            return "{}";
        }

        if (Mapping(node, at) is not { } map)
        {
            return null;
        }

        var errors = _errors.Count;
        var logging = new JsonObject();
        foreach (var (key, value) in Entries(map, at, LoggingKeys))
        {
            var here = $"{at}.{key}";
            switch (key)
            {
                case "bucket":
                    logging[key] = LogTarget(account, bucket, value, here);
                    break;
                case "prefix":
                    logging[key] = value is YamlScalarNode { Value: null or "" } ? "" : Text(value, here);
                    break;
                default:
                    logging[key] = Text(value, here) switch
                    {
                        null => null,
                        "EventTime" or "DeliveryTime" => ((YamlScalarNode)value).Value,
                        var other => ErrorValue(value, here, $"'{other}' is not a date source; expected EventTime or DeliveryTime (leave it out for S3's simple key format)"),
                    };
                    break;
            }
        }

        if (!map.Children.ContainsKey(new YamlScalarNode("bucket")))
        {
            Error(node, at, "'bucket' is required: the target bucket's name, ARN or ${bucket.ACCOUNT.NAME.arn} (write logging: {} to turn logging off)");
        }

        if (!map.Children.ContainsKey(new YamlScalarNode("prefix")))
        {
            Error(node, at, "'prefix' is required: the key prefix of the log objects (\"\" for none)");
        }

        return _errors.Count == errors ? CanonicalJson.Of(logging) : null;
    }

    /// <summary>The target as an ARN; a reference must name an estate bucket, and a plain name or ARN is checked against the file's buckets later.</summary>
    private string? LogTarget(string account, string bucket, YamlNode node, string at)
    {
        if (Text(node, at) is not { } text)
        {
            return null;
        }

        if (text.Contains("${", StringComparison.Ordinal))
        {
            if (BucketReference().Match(text) is not { Success: true } reference)
            {
                return ErrorValue(node, at, "a reference here names an estate bucket: ${bucket.ACCOUNT.NAME.arn}");
            }

            _logTargets.Add((account, bucket, reference.Groups[2].Value, node, at));
            return text;
        }

        var name = text.StartsWith(BucketArnPrefix, StringComparison.Ordinal) ? text[BucketArnPrefix.Length..] : text;
        if (!BucketName().IsMatch(name))
        {
            return ErrorValue(node, at, $"'{text}' is not a bucket name, a bucket ARN (arn:aws:s3:::NAME) or ${{bucket.ACCOUNT.NAME.arn}}");
        }

        _logTargets.Add((account, bucket, name, node, at));
        return BucketArnPrefix + name;
    }

    /// <summary>
    /// Once every bucket is known: a target the file declares becomes a reference (so apply creates
    /// it first), and must be in the same account and region as the bucket it logs, as S3 requires
    /// (InvalidTargetBucketForLogging, CrossLocationLoggingProhibitted). A bucket without a region
    /// is in the connection's default one, which is not known here: regions are compared only when
    /// both buckets give one.
    /// </summary>
    private void CheckLogging()
    {
        var buckets = _resources.Where(r => r.Kind == ResourceKind.Bucket).GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (account, source, target, node, at) in _logTargets)
        {
            if (!buckets.TryGetValue(target, out var declared) || !buckets.TryGetValue(source, out var resource) || resource.Account != account || !resource.Fields.TryGetValue("logging", out var logging))
            {
                continue;
            }

            if (declared.Account != account)
            {
                Error(node, at, $"S3 delivers access logs only to a bucket of the same account: '{target}' is in account '{declared.Account}', this bucket in '{account}'");
                continue;
            }

            if (resource.Fields.GetValueOrDefault("region") is { } region && declared.Fields.GetValueOrDefault("region") is { } targetRegion && region != targetRegion)
            {
                Error(node, at, $"S3 delivers access logs only to a bucket of the same region: '{target}' is in {targetRegion}, this bucket in {region}");
                continue;
            }

            var reference = $"${{bucket.{declared.Account}.{declared.Name}.arn}}";
            var rewritten = logging.Replace($"\"{BucketArnPrefix}{target}\"", $"\"{reference}\"", StringComparison.Ordinal);
            var updated = resource with { Fields = new SortedDictionary<string, string>(resource.Fields.ToDictionary(), StringComparer.Ordinal) { ["logging"] = rewritten } };
            _resources[_resources.IndexOf(resource)] = updated;
            buckets[source] = updated;
        }
    }
}
