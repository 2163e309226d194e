using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// A bucket's versioning, MFA delete and lifecycle rules. The rules are checked here as S3 checks
/// them (PutBucketLifecycleConfiguration), so a bad one is a line number before anything is called
/// rather than a MalformedXML half-way through apply.
/// </summary>
internal sealed partial class EstateParser
{
    /// <summary>The storage classes S3 accepts in a lifecycle transition.</summary>
    private static readonly string[] StorageClasses = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];

    private static readonly string[] RuleKeys =
    [
        "id", "status", "prefix", "filter", "expiration", "noncurrentVersionExpiration", "abortIncompleteMultipartUpload", "transitions", "noncurrentVersionTransitions",
    ];

    private string? Versioning(YamlNode node, string at) => Text(node, at) switch
    {
        null => null,
        var status when status is "Enabled" or "Suspended" or "Disabled" => status,
        _ => ErrorValue(node, at, "must be Enabled or Suspended (Disabled only for a bucket that was never versioned: S3 cannot turn versioning off)"),
    };

    /// <summary>What S3 refuses together, reported against the bucket.</summary>
    private void BucketCombinations(SortedDictionary<string, string> fields, YamlNode node, string at)
    {
        if (fields.GetValueOrDefault("mfaDelete") != "true")
        {
            return;
        }

        if (fields.GetValueOrDefault("versioning") == "Disabled")
        {
            Error(node, $"{at}.mfaDelete", "MFA delete needs a versioned bucket (versioning Enabled or Suspended)");
        }

        // S3 answers InvalidBucketState (409) for lifecycle rules on an MFA-delete bucket, and the reverse.
        if (fields.TryGetValue("lifecycle", out var rules) && rules != "[]")
        {
            Error(node, $"{at}.lifecycle", "S3 refuses lifecycle rules on a bucket with MFA delete (InvalidBucketState); keep expiring data in another bucket");
        }
    }

    /// <summary>The rules as canonical JSON in the file's own shape; <c>[]</c> removes the configuration.</summary>
    private string? Lifecycle(YamlNode node, string at)
    {
        if (node is not YamlSequenceNode list)
        {
            return ErrorValue(node, at, "must be a list of lifecycle rules ([] removes the bucket's configuration)");
        }

        if (list.Children.Count > 1000)
        {
            return ErrorValue(node, at, "S3 allows at most 1000 lifecycle rules");
        }

        var errors = _errors.Count;
        var rules = new JsonArray();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (Rule(list.Children[i], $"{at}[{i}]", ids) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return _errors.Count == errors ? CanonicalJson.Of(rules) : null;
    }

    /// <summary>A lifecycle or replication rule's id: 1 to 255 characters, unique in its configuration (as S3 checks both).</summary>
    private string? RuleId(YamlNode node, string at, HashSet<string> ids)
    {
        if (Text(node, at) is not { } id)
        {
            return null;
        }

        if (id.Length is 0 or > 255)
        {
            Error(node, at, "a rule id is 1 to 255 characters");
        }
        else if (!ids.Add(id))
        {
            Error(node, at, $"id '{id}' is already used by another rule");
        }

        return id;
    }

    private JsonObject? Rule(YamlNode node, string at, HashSet<string> ids)
    {
        if (Mapping(node, at) is not { } map)
        {
            return null;
        }

        var rule = new JsonObject { ["status"] = "Enabled" };
        var filter = new JsonObject();
        foreach (var (key, value) in Entries(map, at, RuleKeys))
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
                case "status":
                    rule["status"] = Text(value, here) is "Enabled" or "Disabled" ? ((YamlScalarNode)value).Value : ErrorValue(value, here, "must be Enabled or Disabled");
                    break;
                case "prefix":
                    // The deprecated rule-level Prefix means the same as a filter on the prefix; one form is kept.
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
                    Filter(value, here, filter);
                    break;
                case "expiration":
                    rule[key] = Expiration(value, here);
                    break;
                case "noncurrentVersionExpiration":
                    rule[key] = Action(value, here, ["days", "newerNoncurrentVersions"], "days");
                    break;
                case "abortIncompleteMultipartUpload":
                    rule[key] = Action(value, here, ["days"], "days");
                    break;
                default:
                    rule[key] = Transitions(value, here, noncurrent: key == "noncurrentVersionTransitions");
                    break;
            }
        }

        if (!rule.ContainsKey("id"))
        {
            Error(node, at, "a lifecycle rule needs an 'id' (S3 names a rule without one at random, so the plan could never match it)");
        }

        if (filter.Count > 0)
        {
            rule["filter"] = filter;
        }

        if (!RuleKeys.Skip(4).Any(rule.ContainsKey))
        {
            Error(node, at, "a lifecycle rule needs at least one action: expiration, noncurrentVersionExpiration, abortIncompleteMultipartUpload, transitions or noncurrentVersionTransitions");
        }

        var tagged = filter.ContainsKey("tags");
        if (tagged && rule["expiration"]?["expiredObjectDeleteMarker"] is not null)
        {
            Error(node, $"{at}.expiration", "S3 refuses expiredObjectDeleteMarker in a rule that filters on tags");
        }

        if ((tagged || filter.ContainsKey("objectSizeGreaterThan") || filter.ContainsKey("objectSizeLessThan")) && rule.ContainsKey("abortIncompleteMultipartUpload"))
        {
            Error(node, $"{at}.abortIncompleteMultipartUpload", "S3 refuses abortIncompleteMultipartUpload in a rule that filters on tags or sizes (an upload has neither yet)");
        }

        return rule;
    }

    private void Filter(YamlNode node, string at, JsonObject filter)
    {
        foreach (var (key, value) in Entries(Mapping(node, at), at, ["prefix", "tags", "objectSizeGreaterThan", "objectSizeLessThan"]))
        {
            var here = $"{at}.{key}";
            switch (key)
            {
                case "prefix":
                    if (Text(value, here) is { Length: > 0 } prefix)
                    {
                        filter[key] = prefix;
                    }

                    break;
                case "tags":
                    if (Tags(value, here) is { } tags && tags != "{}")
                    {
                        filter[key] = JsonNode.Parse(tags);
                    }

                    break;
                default:
                    if (Int(value, here) is { } size)
                    {
                        filter[key] = size;
                    }

                    break;
            }
        }

        if (filter["objectSizeGreaterThan"]?.GetValue<long>() is { } above && filter["objectSizeLessThan"]?.GetValue<long>() is { } below && above >= below)
        {
            Error(node, at, "objectSizeGreaterThan must be less than objectSizeLessThan");
        }
    }

    private JsonObject? Expiration(YamlNode node, string at)
    {
        var map = Mapping(node, at);
        var expiration = new JsonObject();
        foreach (var (key, value) in Entries(map, at, ["days", "date", "expiredObjectDeleteMarker"]))
        {
            var here = $"{at}.{key}";
            expiration[key] = key switch
            {
                "days" => Days(value, here, minimum: 1),
                "date" => Midnight(value, here),
                _ => Bool(value, here),
            };
        }

        if (map is not null && expiration.Count != 1)
        {
            Error(node, at, "give exactly one of days, date or expiredObjectDeleteMarker");
        }

        return expiration;
    }

    /// <summary>An action of whole-number settings, with the one it cannot do without.</summary>
    private JsonObject? Action(YamlNode node, string at, string[] keys, string required)
    {
        var map = Mapping(node, at);
        var action = new JsonObject();
        foreach (var (key, value) in Entries(map, at, keys))
        {
            action[key] = key == "newerNoncurrentVersions" ? Count(value, $"{at}.{key}") : Days(value, $"{at}.{key}", minimum: 1);
        }

        if (map is not null && !map.Children.ContainsKey(new YamlScalarNode(required)))
        {
            Error(node, at, $"'{required}' is required");
        }

        return action;
    }

    private JsonArray? Transitions(YamlNode node, string at, bool noncurrent)
    {
        if (node is not YamlSequenceNode list)
        {
            ErrorValue(node, at, "must be a list of transitions, each with days and storageClass");
            return null;
        }

        var transitions = new JsonArray();
        string[] keys = noncurrent ? ["days", "storageClass", "newerNoncurrentVersions"] : ["days", "date", "storageClass"];
        for (var i = 0; i < list.Children.Count; i++)
        {
            var here = $"{at}[{i}]";
            var map = Mapping(list.Children[i], here);
            var transition = new JsonObject();
            foreach (var (key, value) in Entries(map, here, keys))
            {
                transition[key] = key switch
                {
                    "days" => Days(value, $"{here}.{key}", minimum: 0),
                    "date" => Midnight(value, $"{here}.{key}"),
                    "newerNoncurrentVersions" => Count(value, $"{here}.{key}"),
                    _ => Text(value, $"{here}.{key}") is { } storageClass && StorageClasses.Contains(storageClass)
                        ? storageClass
                        : ErrorValue(value, $"{here}.{key}", $"must be one of {string.Join(", ", StorageClasses)}"),
                };
            }

            if (map is null)
            {
                continue;
            }

            if (!transition.ContainsKey("storageClass"))
            {
                Error(list.Children[i], here, "'storageClass' is required");
            }

            if (transition.ContainsKey("days") == transition.ContainsKey("date"))
            {
                Error(list.Children[i], here, noncurrent ? "'days' is required" : "give days or date, not both");
            }

            // S3's minimum: an object must have been stored 30 days before it moves to an infrequent-access class.
            if (transition["storageClass"]?.GetValue<string>() is "STANDARD_IA" or "ONEZONE_IA" && transition["days"]?.GetValue<long>() < 30)
            {
                Error(list.Children[i], $"{here}.days", "must be at least 30 for STANDARD_IA and ONEZONE_IA");
            }

            transitions.Add(transition);
        }

        return transitions;
    }

    private long? Days(YamlNode node, string at, int minimum)
    {
        var days = Int(node, at);
        if (days is { } value && (value < minimum || value > int.MaxValue))
        {
            Error(node, at, minimum == 1 ? "must be a positive number of days" : "must not be negative");
            return null;
        }

        return days;
    }

    private long? Count(YamlNode node, string at)
    {
        var count = Int(node, at);
        if (count is < 1 or > 100)
        {
            Error(node, at, "must be between 1 and 100");
            return null;
        }

        return count;
    }

    /// <summary>A date as S3 takes it: midnight UTC. Kept as yyyy-MM-dd, as S3's answer is read back.</summary>
    private string? Midnight(YamlNode node, string at)
    {
        if (Text(node, at) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) && date.ToUniversalTime().TimeOfDay == TimeSpan.Zero
            ? date.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : ErrorValue(node, at, "must be a date at midnight UTC, e.g. 2027-01-01");
    }
}
