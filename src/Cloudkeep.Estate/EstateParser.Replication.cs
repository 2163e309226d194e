using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// A bucket's replication configuration: <c>{role, rules: [{id, priority, status, prefix | filter,
/// deleteMarkerReplication, destination: {bucket, account, storageClass, ownerOverride,
/// replicaKmsKeyId}}]}</c>, checked as S3 checks PutBucketReplication so a bad rule is a line number
/// before anything is called. The file always writes S3's current (V2) schema: a rule filters with
/// Filter (a rule-level prefix means the same), has a priority and says whether delete markers
/// replicate. Kept as canonical JSON <c>{"role":…,"rules":[…]}</c>, the shape BucketReplication reads
/// S3's answer into; <c>{}</c> is "no configuration" (DeleteBucketReplication).
/// </summary>
internal sealed partial class EstateParser
{
    private const string BucketArnPrefix = "arn:aws:s3:::";

    /// <summary>The storage classes S3 accepts for replicas.</summary>
    private static readonly string[] ReplicaStorageClasses = ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"];

    private static readonly string[] ReplicationRuleKeys = ["id", "priority", "status", "prefix", "filter", "deleteMarkerReplication", "destination"];

    private static readonly string[] DestinationKeys = ["bucket", "account", "storageClass", "ownerOverride", "replicaKmsKeyId"];

    /// <summary>Destinations named by a plain bucket name, checked once every account is read.</summary>
    private readonly List<(string Source, string Destination)> _destinations = [];

    /// <summary>Roles named by plain name, checked once every role is known (an account's roles may follow its buckets).</summary>
    private readonly List<(string Account, string Bucket, string Name, YamlNode Node, string At)> _roleNames = [];

    /// <summary>Each bucket's replication node, for the checks made once every bucket is known.</summary>
    private readonly Dictionary<string, (YamlNode Node, string At)> _replications = new(StringComparer.Ordinal);

    private string? Replication(string account, string bucket, YamlNode node, string at)
    {
        _replications[bucket] = (node, at);
        // [] and {} both mean "no configuration": S3 has one or none.
        if (node is YamlSequenceNode { Children.Count: 0 } || node is YamlMappingNode { Children.Count: 0 })
        {
            return "{}";
        }

        if (node is not YamlMappingNode map)
        {
            return ErrorValue(node, at, "must be a mapping {role, rules} ({} or [] removes the bucket's configuration)");
        }

        var errors = _errors.Count;
        string? role = null;
        JsonArray? rules = null;
        foreach (var (key, value) in Entries(map, at, ["role", "rules"]))
        {
            if (key == "role")
            {
                role = ReplicationRole(account, bucket, value, $"{at}.role");
            }
            else
            {
                rules = ReplicationRules(account, bucket, value, $"{at}.rules");
            }
        }

        if (!map.Children.ContainsKey(new YamlScalarNode("role")))
        {
            Error(node, at, "'role' is required: the IAM role S3 replicates as (a role this account declares, a role ARN, or ${role.ACCOUNT.NAME.arn})");
        }

        if (!map.Children.ContainsKey(new YamlScalarNode("rules")))
        {
            Error(node, at, "'rules' is required (write replication: {} to remove the configuration)");
        }

        return _errors.Count == errors && role is not null && rules is not null
            ? CanonicalJson.Of(new JsonObject { ["role"] = role, ["rules"] = rules })
            : null;
    }

    /// <summary>A role of this account by name (made a reference, so apply creates it first), a role ARN, or a reference to a role.</summary>
    private string? ReplicationRole(string account, string bucket, YamlNode node, string at)
    {
        if (Text(node, at) is not { } text)
        {
            return null;
        }

        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            // S3 answers InvalidArgument "Invalid ReplicationConfiguration Role ARN." for anything else.
            return RoleArn().IsMatch(text) ? text : ErrorValue(node, at, $"'{text}' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME, ACCOUNT an id or ${{account.NAME.id}})");
        }

        if (text.Contains("${", StringComparison.Ordinal))
        {
            return RoleReference().IsMatch(text) ? text : ErrorValue(node, at, "a reference here names an estate role: ${role.ACCOUNT.NAME.arn}");
        }

        if (!IamName().IsMatch(text))
        {
            return ErrorValue(node, at, $"'{text}' is not a role name, a role ARN or ${{role.ACCOUNT.NAME.arn}}");
        }

        _roleNames.Add((account, bucket, text, node, at));
        return $"${{role.{account}.{text}.arn}}";
    }

    private JsonArray? ReplicationRules(string account, string bucket, YamlNode node, string at)
    {
        if (node is not YamlSequenceNode list)
        {
            ErrorValue(node, at, "must be a list of replication rules");
            return null;
        }

        if (list.Children.Count == 0)
        {
            ErrorValue(node, at, "S3 needs at least one rule; write replication: {} to remove the configuration");
            return null;
        }

        if (list.Children.Count > 1000)
        {
            ErrorValue(node, at, "S3 allows at most 1000 replication rules");
            return null;
        }

        var rules = new JsonArray();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var priorities = new Dictionary<long, int>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var here = $"{at}[{i}]";
            if (ReplicationRule(account, bucket, list.Children[i], here, ids, several: list.Children.Count > 1) is not { } rule)
            {
                continue;
            }

            // S3: "Found duplicate priority ... Priority must be unique among the rules."
            if (rule["priority"]?.GetValue<long>() is { } priority && !priorities.TryAdd(priority, i))
            {
                Error(list.Children[i], $"{here}.priority", $"priority {priority} is already used by rule {priorities[priority]}; S3 needs each rule's priority to be unique");
            }

            rules.Add(rule);
        }

        return rules;
    }

    private JsonObject? ReplicationRule(string account, string bucket, YamlNode node, string at, HashSet<string> ids, bool several)
    {
        if (Mapping(node, at) is not { } map)
        {
            return null;
        }

        var rule = new JsonObject { ["status"] = "Enabled", ["deleteMarkerReplication"] = false };
        var filter = new JsonObject();
        foreach (var (key, value) in Entries(map, at, ReplicationRuleKeys))
        {
            var here = $"{at}.{key}";
            switch (key)
            {
                case "id":
                    if (RuleId(value, here, ids) is { } id)
                    {
                        rule["id"] = id;
                    }

                    break;
                case "priority":
                    if (Int(value, here) is { } priority)
                    {
                        rule["priority"] = priority <= int.MaxValue ? priority : ErrorValue(value, here, "must be a whole number up to 2147483647");
                    }

                    break;
                case "status":
                    rule["status"] = Text(value, here) is "Enabled" or "Disabled" ? ((YamlScalarNode)value).Value : ErrorValue(value, here, "must be Enabled or Disabled");
                    break;
                case "prefix":
                    // A rule-level prefix is S3's V1 schema; here it means the same as filter.prefix, and the V2 form is put.
                    if (map.Children.ContainsKey(new YamlScalarNode("filter")))
                    {
                        Error(value, here, "give 'prefix' or 'filter', not both");
                    }
                    else if (Text(value, here) is { Length: > 0 } prefix)
                    {
                        filter["prefix"] = prefix;
                    }

                    break;
                case "filter":
                    foreach (var (filterKey, filterValue) in Entries(Mapping(value, here), here, ["prefix", "tags"]))
                    {
                        if (filterKey == "prefix" && Text(filterValue, $"{here}.prefix") is { Length: > 0 } prefix)
                        {
                            filter["prefix"] = prefix;
                        }
                        else if (filterKey == "tags" && Tags(filterValue, $"{here}.tags") is { } tags && tags != "{}")
                        {
                            filter["tags"] = JsonNode.Parse(tags);
                        }
                    }

                    break;
                case "deleteMarkerReplication":
                    rule[key] = Bool(value, here);
                    break;
                default:
                    rule[key] = Destination(account, bucket, value, here);
                    break;
            }
        }

        if (!rule.ContainsKey("id"))
        {
            Error(node, at, "a replication rule needs an 'id' (S3 names a rule without one at random, so the plan could never match it)");
        }

        if (!rule.ContainsKey("priority"))
        {
            if (several)
            {
                Error(node, at, "with more than one rule each needs a 'priority' (S3 replicates an object by the highest-priority rule that matches it)");
            }

            rule["priority"] = 0L;
        }

        if (!rule.ContainsKey("destination"))
        {
            Error(node, at, "'destination' is required: {bucket: NAME}");
        }

        if (filter.Count > 0)
        {
            rule["filter"] = filter;
        }

        // S3: "Delete marker replication is not supported if any Tag filter is specified."
        if (filter.ContainsKey("tags") && rule["deleteMarkerReplication"]?.GetValue<bool>() == true)
        {
            Error(node, $"{at}.deleteMarkerReplication", "S3 refuses delete marker replication in a rule that filters on tags");
        }

        return rule;
    }

    private JsonObject? Destination(string account, string bucket, YamlNode node, string at)
    {
        if (Mapping(node, at) is not { } map)
        {
            return null;
        }

        var destination = new JsonObject();
        YamlNode? overrideNode = null;
        foreach (var (key, value) in Entries(map, at, DestinationKeys))
        {
            var here = $"{at}.{key}";
            switch (key)
            {
                case "bucket":
                    destination[key] = DestinationBucket(account, bucket, value, here);
                    break;
                case "account":
                    destination[key] = Text(value, here) is { } owner && (AccountId().IsMatch(owner) || AccountReference().IsMatch(owner))
                        ? owner
                        : ErrorValue(value, here, "must be a 12-digit account id or ${account.NAME.id}");
                    break;
                case "storageClass":
                    destination[key] = Text(value, here) switch
                    {
                        null => null,
                        var storageClass when ReplicaStorageClasses.Contains(storageClass) => storageClass,
                        var other => ErrorValue(value, here, $"'{other}' is not a storage class for replicas; expected one of {string.Join(", ", ReplicaStorageClasses)}"
                            + (Suggestions.Closest(other, ReplicaStorageClasses) is { } close ? $"; did you mean '{close}'?" : "")),
                    };
                    break;
                case "ownerOverride":
                    overrideNode = value;
                    if (Bool(value, here) == true)
                    {
                        destination[key] = true;
                    }

                    break;
                default:
                    destination[key] = KmsKeyId(value, here);
                    break;
            }
        }

        if (!map.Children.ContainsKey(new YamlScalarNode("bucket")))
        {
            Error(node, at, "'bucket' is required: the destination bucket's name, ARN or ${bucket.ACCOUNT.NAME.arn}");
        }

        // S3: "Account is required when AccessControlTranslation is specified."
        if (destination.ContainsKey("ownerOverride") && !destination.ContainsKey("account"))
        {
            Error(overrideNode!, $"{at}.ownerOverride", "making the destination's account the replicas' owner needs 'account' (S3 requires it)");
        }

        return destination;
    }

    /// <summary>
    /// The destination as S3 takes it, a bucket ARN. A plain name or ARN of a bucket the file
    /// declares becomes a reference to it once every account is read (<see cref="CheckReplication"/>),
    /// so apply creates and versions the destination before the rule that names it.
    /// </summary>
    private string? DestinationBucket(string account, string bucket, YamlNode node, string at)
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

            return reference.Groups[2].Value == bucket && reference.Groups[1].Value == account
                ? ErrorValue(node, at, "a bucket cannot replicate into itself (S3 refuses it)")
                : text;
        }

        var name = text.StartsWith(BucketArnPrefix, StringComparison.Ordinal) ? text[BucketArnPrefix.Length..] : text;
        if (!BucketName().IsMatch(name))
        {
            return ErrorValue(node, at, $"'{text}' is not a bucket name, a bucket ARN (arn:aws:s3:::NAME) or ${{bucket.ACCOUNT.NAME.arn}}");
        }

        if (name == bucket)
        {
            return ErrorValue(node, at, "a bucket cannot replicate into itself (S3 refuses it)");
        }

        _destinations.Add((bucket, name));
        return BucketArnPrefix + name;
    }

    /// <summary>
    /// Once every role and bucket is known: a role named by plain name must be declared; destinations
    /// the file declares become references (so apply orders them first); and what S3 would refuse
    /// about declared buckets is reported here: both ends of a rule need versioning Enabled.
    /// </summary>
    private void CheckReplication()
    {
        foreach (var (account, bucket, name, node, at) in _roleNames.Where(r => !_resources.Any(x => x.Kind == ResourceKind.Role && x.Account == r.Account && x.Name == r.Name)))
        {
            var roles = _resources.Where(r => r.Kind == ResourceKind.Role && r.Account == account).Select(r => r.Name);
            var hint = Suggestions.Closest(name, roles) is { } close ? $"; did you mean '{close}'?" : "";
            Error(node, at, $"no role '{name}' is declared in account '{account}'{hint} (name a role the file does not declare by its ARN)");
            // Said once, here with its line: the reference it became would be reported again without one.
            var index = _resources.FindIndex(r => r.Kind == ResourceKind.Bucket && r.Account == account && r.Name == bucket);
            if (index >= 0)
            {
                _resources[index] = _resources[index] with { Fields = _resources[index].Fields.Where(f => f.Key != "replication").ToDictionary(StringComparer.Ordinal) };
            }
        }

        // Bucket names are global: the first declaration wins here, whatever else is wrong with a second.
        var buckets = _resources.Where(r => r.Kind == ResourceKind.Bucket).GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (source, destination) in _destinations)
        {
            if (!buckets.TryGetValue(destination, out var target) || !buckets.TryGetValue(source, out var resource) || !resource.Fields.TryGetValue("replication", out var replication))
            {
                continue;
            }

            var reference = $"${{bucket.{target.Account}.{target.Name}.arn}}";
            var rewritten = replication.Replace($"\"{BucketArnPrefix}{destination}\"", $"\"{reference}\"", StringComparison.Ordinal);
            var updated = resource with { Fields = new SortedDictionary<string, string>(resource.Fields.ToDictionary(), StringComparer.Ordinal) { ["replication"] = rewritten } };
            _resources[_resources.IndexOf(resource)] = updated;
            buckets[source] = updated;
        }

        foreach (var bucket in _resources.Where(r => r.Kind == ResourceKind.Bucket && r.Fields.GetValueOrDefault("replication") is { } value && value != "{}"))
        {
            var (node, at) = _replications[bucket.Name];
            if (bucket.Fields.GetValueOrDefault("versioning") is { } versioning && versioning != "Enabled")
            {
                Error(node, at, $"S3 replicates only from a bucket with versioning Enabled (this one says {versioning})");
            }

            foreach (var rule in JsonNode.Parse(bucket.Fields["replication"])!["rules"]!.AsArray())
            {
                var named = rule!["destination"]!["bucket"]!.GetValue<string>();
                var target = BucketReference().Match(named) is { Success: true } match
                    ? buckets.GetValueOrDefault(match.Groups[2].Value)
                    : buckets.GetValueOrDefault(named[BucketArnPrefix.Length..]);
                if (target?.Fields.GetValueOrDefault("versioning") is { } targetVersioning && targetVersioning != "Enabled")
                {
                    Error(node, at, $"rule '{rule["id"]}': S3 replicates only into a bucket with versioning Enabled ({target.Address} says {targetVersioning})");
                }
            }
        }
    }

    [GeneratedRegex(@"^\$\{role\.[^.}]+\.[^.}]+\.arn\}$")]
    private static partial Regex RoleReference();

    [GeneratedRegex(@"^arn:aws:iam::(?:\d{12}|\$\{account\.[^.}]+\.id\}):role/(?:[\u0021-\u007E]*/)?[\w+=,.@-]{1,64}$")]
    private static partial Regex RoleArn();

    [GeneratedRegex(@"^\$\{bucket\.([^.}]+)\.([^}]+)\.arn\}$")]
    private static partial Regex BucketReference();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountId();

    [GeneratedRegex(@"^\$\{account\.[^.}]+\.id\}$")]
    private static partial Regex AccountReference();
}
