using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate;

/// <summary>
/// Lifecycle rules between the estate file's shape (canonical JSON, see EstateParser.Buckets) and
/// the SDK's. The filter is flat in the file: S3's And is how the API says "more than one
/// condition", so it is added on the way out and removed on the way in, and the deprecated
/// rule-level Prefix reads as a filter on the prefix, which means the same. The SDK (4.0) reads
/// S3's Filter into LifecycleFilterPredicate and leaves its newer And/Prefix/Tag properties empty,
/// so the predicate form is used both ways.
/// </summary>
internal static class BucketLifecycle
{
    public static string FromSdk(IEnumerable<LifecycleRule> rules) => CanonicalJson.Of(new JsonArray([.. rules.Select(Rule)]));

    public static List<LifecycleRule> ToSdk(string json) => [.. JsonNode.Parse(json)!.AsArray().Select(r => ToRule(r!.AsObject()))];

    private static JsonObject Rule(LifecycleRule rule)
    {
        var json = new JsonObject { ["id"] = rule.Id, ["status"] = rule.Status?.Value ?? "Enabled" };
        var filter = new JsonObject();
        foreach (var condition in Conditions(rule))
        {
            switch (condition)
            {
                case LifecyclePrefixPredicate { Prefix: { Length: > 0 } prefix }:
                    filter["prefix"] = prefix;
                    break;
                case LifecycleTagPredicate { Tag: { } tag }:
                    var tags = filter["tags"] as JsonObject ?? [];
                    tags[tag.Key] = tag.Value ?? "";
                    filter["tags"] = JsonNode.Parse(CanonicalJson.Of(tags));
                    break;
                case LifecycleObjectSizeGreaterThanPredicate { ObjectSizeGreaterThan: { } above }:
                    filter["objectSizeGreaterThan"] = above;
                    break;
                case LifecycleObjectSizeLessThanPredicate { ObjectSizeLessThan: { } below }:
                    filter["objectSizeLessThan"] = below;
                    break;
            }
        }

        if (filter.Count > 0)
        {
            json["filter"] = filter;
        }

        if (rule.Expiration is { } expiration)
        {
            var value = new JsonObject();
            if (expiration.Days is { } days)
            {
                value["days"] = days;
            }

            if (expiration.Date is { } date)
            {
                value["date"] = Day(date);
            }

            if (expiration.ExpiredObjectDeleteMarker is { } marker)
            {
                value["expiredObjectDeleteMarker"] = marker;
            }

            json["expiration"] = value;
        }

        if (rule.NoncurrentVersionExpiration is { } noncurrent)
        {
            var value = new JsonObject { ["days"] = noncurrent.NoncurrentDays };
            if (noncurrent.NewerNoncurrentVersions is { } newer)
            {
                value["newerNoncurrentVersions"] = newer;
            }

            json["noncurrentVersionExpiration"] = value;
        }

        if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation is { } abortDays)
        {
            json["abortIncompleteMultipartUpload"] = new JsonObject { ["days"] = abortDays };
        }

        if (rule.Transitions is { Count: > 0 } transitions)
        {
            json["transitions"] = new JsonArray([.. transitions.Select(t =>
            {
                var value = new JsonObject { ["storageClass"] = t.StorageClass?.Value };
                if (t.Date is { } date)
                {
                    value["date"] = Day(date);
                }
                else
                {
                    value["days"] = t.Days;
                }

                return (JsonNode)value;
            })]);
        }

        if (rule.NoncurrentVersionTransitions is { Count: > 0 } noncurrentTransitions)
        {
            json["noncurrentVersionTransitions"] = new JsonArray([.. noncurrentTransitions.Select(t =>
            {
                var value = new JsonObject { ["storageClass"] = t.StorageClass?.Value, ["days"] = t.NoncurrentDays };
                if (t.NewerNoncurrentVersions is { } newer)
                {
                    value["newerNoncurrentVersions"] = newer;
                }

                return (JsonNode)value;
            })]);
        }

        return json;
    }

    private static LifecycleRule ToRule(JsonObject rule)
    {
        var filter = rule["filter"] as JsonObject ?? [];
        var conditions = new List<LifecycleFilterPredicate>();
        if (filter["prefix"]?.GetValue<string>() is { } prefix)
        {
            conditions.Add(new LifecyclePrefixPredicate { Prefix = prefix });
        }

        conditions.AddRange((filter["tags"] as JsonObject ?? []).Select(t => new LifecycleTagPredicate { Tag = new Tag { Key = t.Key, Value = t.Value!.GetValue<string>() } }));
        if (filter["objectSizeGreaterThan"]?.GetValue<long>() is { } above)
        {
            conditions.Add(new LifecycleObjectSizeGreaterThanPredicate { ObjectSizeGreaterThan = above });
        }

        if (filter["objectSizeLessThan"]?.GetValue<long>() is { } below)
        {
            conditions.Add(new LifecycleObjectSizeLessThanPredicate { ObjectSizeLessThan = below });
        }

        // S3 wants And for two conditions or more, and a bare Prefix of "" for the whole bucket.
        var sdkFilter = new LifecycleFilter
        {
            LifecycleFilterPredicate = conditions.Count switch
            {
                0 => new LifecyclePrefixPredicate { Prefix = "" },
                1 => conditions[0],
                _ => new LifecycleAndOperator { Operands = conditions },
            },
        };
        var result = new LifecycleRule
        {
            Id = rule["id"]!.GetValue<string>(),
            Status = new LifecycleRuleStatus(rule["status"]!.GetValue<string>()),
            Filter = sdkFilter,
        };
        if (rule["expiration"] is JsonObject expiration)
        {
            result.Expiration = new LifecycleRuleExpiration
            {
                Days = Int(expiration["days"]),
                Date = expiration["date"] is { } date ? Midnight(date) : null,
                ExpiredObjectDeleteMarker = expiration["expiredObjectDeleteMarker"]?.GetValue<bool>(),
            };
        }

        if (rule["noncurrentVersionExpiration"] is JsonObject noncurrent)
        {
            result.NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration
            {
                NoncurrentDays = Int(noncurrent["days"]),
                NewerNoncurrentVersions = Int(noncurrent["newerNoncurrentVersions"]),
            };
        }

        if (rule["abortIncompleteMultipartUpload"] is JsonObject abort)
        {
            result.AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = Int(abort["days"]) };
        }

        if (rule["transitions"] is JsonArray transitions)
        {
            result.Transitions = [.. transitions.Select(t => new LifecycleTransition
            {
                Days = Int(t!["days"]),
                Date = t["date"] is { } date ? Midnight(date) : null,
                StorageClass = S3StorageClass.FindValue(t["storageClass"]!.GetValue<string>()),
            })];
        }

        if (rule["noncurrentVersionTransitions"] is JsonArray noncurrentTransitions)
        {
            result.NoncurrentVersionTransitions = [.. noncurrentTransitions.Select(t => new LifecycleRuleNoncurrentVersionTransition
            {
                NoncurrentDays = Int(t!["days"]),
                NewerNoncurrentVersions = Int(t["newerNoncurrentVersions"]),
                StorageClass = S3StorageClass.FindValue(t["storageClass"]!.GetValue<string>()),
            })];
        }

        return result;
    }

    /// <summary>The filter's conditions, flat: the SDK reads S3's Filter into predicates, And holding the rest.</summary>
    private static IEnumerable<LifecycleFilterPredicate> Conditions(LifecycleRule rule)
    {
#pragma warning disable CS0618 // A rule another tool wrote with S3's deprecated rule-level Prefix reads as a filter on it.
        if (rule.Prefix is { Length: > 0 } legacy)
        {
            yield return new LifecyclePrefixPredicate { Prefix = legacy };
        }
#pragma warning restore CS0618

        switch (rule.Filter?.LifecycleFilterPredicate)
        {
            case LifecycleAndOperator and:
                foreach (var operand in and.Operands ?? [])
                {
                    yield return operand;
                }

                break;
            case { } single:
                yield return single;
                break;
        }
    }

    private static int? Int(JsonNode? node) => node is null ? null : (int)node.GetValue<long>();

    private static DateTime Midnight(JsonNode date) =>
        DateTime.SpecifyKind(DateTime.ParseExact(date.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc);

    /// <summary>S3 answers dates as midnight UTC timestamps; the SDK may hand them back in local time.</summary>
    private static string Day(DateTime date) =>
        (date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date.ToUniversalTime()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
