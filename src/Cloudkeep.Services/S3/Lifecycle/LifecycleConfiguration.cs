using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3.Lifecycle;

/// <summary>
/// A bucket's lifecycle configuration as PutBucketLifecycleConfiguration takes it: checked as S3
/// checks it (MalformedXML for what its schema refuses, InvalidArgument / InvalidRequest with S3's
/// wording for the rest), a rule without an ID given a generated one, and read back into rules.
/// </summary>
internal static class LifecycleConfiguration
{
    public const string Part = "Lifecycle";
    public const int MaxRules = 1000;
    public const int MaxIdLength = 255;

    private static readonly string[] FilterMembers = ["Prefix", "Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan"];

    private static readonly HashSet<string> StorageClasses = new(StringComparer.Ordinal) { "GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR" };

    /// <summary>The configuration to store: the given rules, checked, with IDs filled in; throws S3's error for a bad one.</summary>
    public static JsonObject Validate(JsonObject? configuration)
    {
        if (configuration?["Rules"] is not JsonArray { Count: > 0 and <= MaxRules } rules)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var stored = new JsonArray();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in rules)
        {
            if (node is not JsonObject rule)
            {
                throw S3Errors.MalformedXml.ToException();
            }

            var copy = (JsonObject)rule.DeepClone();
            var id = S3Input.String(copy, "ID");
            if (string.IsNullOrEmpty(id))
            {
                id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', 'A').Replace('/', 'B');
                copy["ID"] = id;
            }

            if (id.Length > MaxIdLength)
            {
                throw S3Errors.InvalidArgument.ToException("ID length should not exceed allowed limit of 255");
            }

            if (!ids.Add(id))
            {
                throw S3Errors.InvalidArgument.ToException("Rule ID must be unique. Found same ID for more than one rule");
            }

            _ = Read(copy);
            stored.Add(copy);
        }

        return new JsonObject { ["Rules"] = stored };
    }

    /// <summary>The rules of a stored (already valid) configuration; none when there is none.</summary>
    public static IReadOnlyList<LifecycleRule> RulesOf(JsonNode? stored) =>
        stored?["Rules"] is JsonArray rules ? [.. rules.OfType<JsonObject>().Select(Read)] : [];

    private static LifecycleRule Read(JsonObject rule)
    {
        var enabled = S3Input.String(rule, "Status") switch
        {
            "Enabled" => true,
            "Disabled" => false,
            _ => throw S3Errors.MalformedXml.ToException(),
        };
        var filter = Filter(rule);
        var expiration = Expiration(S3Input.Object(rule, "Expiration"), filter);
        var noncurrent = S3Input.Object(rule, "NoncurrentVersionExpiration");
        int? noncurrentDays = null;
        int? newer = null;
        if (noncurrent is not null)
        {
            noncurrentDays = Positive(noncurrent, "NoncurrentDays", "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
            newer = NewerVersions(noncurrent);
        }

        int? abortDays = null;
        if (S3Input.Object(rule, "AbortIncompleteMultipartUpload") is { } abort)
        {
            if (filter.Tags.Count > 0 || filter.SizeGreaterThan is not null || filter.SizeLessThan is not null)
            {
                throw S3Errors.InvalidRequest.ToException("AbortIncompleteMultipartUpload cannot be specified with Tags.");
            }

            abortDays = Positive(abort, "DaysAfterInitiation", "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
        }

        var transitions = Items(rule, "Transitions").Select(t => Transition(t, noncurrent: false)).ToList();
        var noncurrentTransitions = Items(rule, "NoncurrentVersionTransitions").Select(t => Transition(t, noncurrent: true)).ToList();
        if (expiration is null && noncurrentDays is null && abortDays is null && transitions.Count == 0 && noncurrentTransitions.Count == 0)
        {
            throw S3Errors.InvalidRequest.ToException("At least one action needs to be specified in a rule");
        }

        return new LifecycleRule(S3Input.String(rule, "ID") ?? "", enabled, filter, expiration, noncurrentDays, newer, abortDays, transitions, noncurrentTransitions);
    }

    private static LifecycleFilter Filter(JsonObject rule)
    {
        var legacyPrefix = S3Input.String(rule, "Prefix");
        var filter = S3Input.Object(rule, "Filter");
        if ((legacyPrefix is null) == (filter is null))
        {
            // Exactly one of the deprecated Prefix and Filter, as S3's schema has it.
            throw S3Errors.MalformedXml.ToException();
        }

        if (filter is null)
        {
            return new LifecycleFilter(legacyPrefix!, [], null, null);
        }

        var given = FilterMembers.Count(filter.ContainsKey);
        if (given > 1)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (S3Input.Object(filter, "And") is { } and)
        {
            var tags = (and["Tags"] as JsonArray ?? []).OfType<JsonObject>().Select(Tag).ToList();
            return Sized(new LifecycleFilter(S3Input.String(and, "Prefix") ?? "", tags, S3Input.Integer(and, "ObjectSizeGreaterThan"), S3Input.Integer(and, "ObjectSizeLessThan")));
        }

        var tag = S3Input.Object(filter, "Tag") is { } one ? [Tag(one)] : Array.Empty<KeyValuePair<string, string>>();
        return Sized(new LifecycleFilter(S3Input.String(filter, "Prefix") ?? "", tag, S3Input.Integer(filter, "ObjectSizeGreaterThan"), S3Input.Integer(filter, "ObjectSizeLessThan")));
    }

    private static LifecycleFilter Sized(LifecycleFilter filter)
    {
        if (filter.SizeGreaterThan < 0 || filter.SizeLessThan <= 0)
        {
            throw S3Errors.InvalidArgument.ToException("Object size must be a non-negative integer");
        }

        if (filter.SizeGreaterThan is { } above && filter.SizeLessThan is { } below && above >= below)
        {
            throw S3Errors.InvalidArgument.ToException("ObjectSizeGreaterThan must be less than ObjectSizeLessThan");
        }

        return filter;
    }

    private static KeyValuePair<string, string> Tag(JsonObject tag) =>
        S3Input.String(tag, "Key") is { } key ? new(key, S3Input.String(tag, "Value") ?? "") : throw S3Errors.MalformedXml.ToException();

    private static LifecycleExpiration? Expiration(JsonObject? expiration, LifecycleFilter filter)
    {
        if (expiration is null)
        {
            return null;
        }

        var days = expiration.ContainsKey("Days");
        var date = expiration.ContainsKey("Date");
        var marker = S3Input.Boolean(expiration, "ExpiredObjectDeleteMarker");
        if ((days ? 1 : 0) + (date ? 1 : 0) + (marker is not null ? 1 : 0) != 1)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (marker == true && filter.Tags.Count > 0)
        {
            throw S3Errors.InvalidRequest.ToException("ExpiredObjectDeleteMarker cannot be specified with object tags");
        }

        return new LifecycleExpiration(
            days ? Positive(expiration, "Days", "'Days' for Expiration action must be a positive integer") : null,
            date ? Midnight(expiration) : null,
            marker == true);
    }

    private static LifecycleTransition Transition(JsonObject transition, bool noncurrent)
    {
        var storageClass = S3Input.String(transition, "StorageClass");
        if (storageClass is null || !StorageClasses.Contains(storageClass))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var daysMember = noncurrent ? "NoncurrentDays" : "Days";
        int? days = null;
        DateTimeOffset? date = null;
        if (!noncurrent && transition.ContainsKey("Date"))
        {
            date = transition.ContainsKey("Days") ? throw S3Errors.MalformedXml.ToException() : Midnight(transition);
        }
        else
        {
            var value = S3Input.Integer(transition, daysMember) ?? throw S3Errors.MalformedXml.ToException();
            if (value < 0)
            {
                throw S3Errors.InvalidArgument.ToException($"'{daysMember}' in Transition action must be nonnegative");
            }

            if (storageClass is "STANDARD_IA" or "ONEZONE_IA" && value < 30)
            {
                throw S3Errors.InvalidArgument.ToException($"'{daysMember}' in {(noncurrent ? "NoncurrentVersionTransition" : "Transition")} action must be greater than or equal to 30 for storageClass '{storageClass}'");
            }

            days = (int)value;
        }

        return new LifecycleTransition(days, date, storageClass, noncurrent ? NewerVersions(transition) : null);
    }

    private static int Positive(JsonObject action, string member, string message) =>
        S3Input.Integer(action, member) switch
        {
            null => throw S3Errors.MalformedXml.ToException(),
            > 0 and <= int.MaxValue and var days => (int)days,
            _ => throw S3Errors.InvalidArgument.ToException(message),
        };

    private static int? NewerVersions(JsonObject action) =>
        S3Input.Integer(action, "NewerNoncurrentVersions") switch
        {
            null => null,
            >= 1 and <= 100 and var count => (int)count,
            _ => throw S3Errors.InvalidArgument.ToException("'NewerNoncurrentVersions' must be an integer between 1 and 100"),
        };

    private static DateTimeOffset Midnight(JsonObject action)
    {
        var date = S3Input.Timestamp(action, "Date") ?? throw S3Errors.MalformedXml.ToException();
        return date.ToUniversalTime().TimeOfDay == TimeSpan.Zero ? date.ToUniversalTime() : throw S3Errors.InvalidArgument.ToException("'Date' must be at midnight GMT");
    }

    private static IEnumerable<JsonObject> Items(JsonObject rule, string member) =>
        rule[member] is JsonArray items ? items.OfType<JsonObject>() : [];
}
