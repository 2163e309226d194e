using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.S3.Lifecycle;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Replication;

/// <summary>
/// A bucket's replication configuration as PutBucketReplication takes it, checked as S3 checks it
/// ("Replication configuration" in the S3 user guide: both buckets versioned, the destination
/// existing, V2 rules with Priority and DeleteMarkerReplication, no delete-marker replication
/// with tag filters), stored in the model's shape and read back into rules.
/// </summary>
internal static class ReplicationConfiguration
{
    public const string Part = "Replication";
    public const int MaxRules = 1000;
    public const int MaxIdLength = 255;

    private static readonly string[] FilterMembers = ["Prefix", "Tag", "And"];

    private static readonly HashSet<string> StorageClasses = new(StringComparer.Ordinal)
    {
        "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR",
    };

    /// <summary>The configuration to store, every rule checked against the buckets it names; throws S3's error for a bad one.</summary>
    public static async Task<JsonObject> ValidateAsync(S3Context s3, BucketState source, JsonObject? configuration, CancellationToken cancellationToken)
    {
        if (configuration?["Rules"] is not JsonArray { Count: > 0 } rules || S3Input.String(configuration, "Role") is not { } role)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (rules.Count > MaxRules)
        {
            throw S3Errors.InvalidRequest.ToException($"The number of replication rules must not exceed {MaxRules}.");
        }

        if (!IamArns.TryParseRoleArn(role, out _, out _))
        {
            throw S3Errors.InvalidArgument.ToException("Invalid ReplicationConfiguration Role ARN.");
        }

        if (source.Config.Versioning != S3Versioning.Enabled)
        {
            throw S3Errors.InvalidRequest.ToException("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        }

        var stored = new JsonArray();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var priorities = new HashSet<int>();
        bool? v2Schema = null;
        foreach (var node in rules)
        {
            if (node is not JsonObject given)
            {
                throw S3Errors.MalformedXml.ToException();
            }

            var rule = (JsonObject)given.DeepClone();
            var id = S3Input.String(rule, "ID");
            if (string.IsNullOrEmpty(id))
            {
                id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', 'A').Replace('/', 'B');
                rule["ID"] = id;
            }

            if (id.Length > MaxIdLength)
            {
                throw S3Errors.InvalidArgument.ToException("ID length should not exceed allowed limit of 255");
            }

            if (!ids.Add(id))
            {
                throw S3Errors.InvalidArgument.ToException("Rule Id must be unique. Found same ID for more than one rule");
            }

            var read = Read(rule);
            if (v2Schema is { } schema && schema != read.V2)
            {
                // One configuration uses one schema: S3 refuses rules mixing Prefix and Filter.
                throw S3Errors.MalformedXml.ToException();
            }

            v2Schema = read.V2;
            if (read.V2 && !priorities.Add(read.Priority))
            {
                throw S3Errors.InvalidRequest.ToException("Found duplicate priority " + read.Priority + ". Priority must be unique among the rules.");
            }

            var destination = await s3.FindBucketAsync(read.DestinationBucket, cancellationToken)
                ?? throw S3Errors.InvalidRequest.ToException("Destination bucket must exist.");
            if (destination.Config.Versioning != S3Versioning.Enabled)
            {
                throw S3Errors.InvalidRequest.ToException("Destination bucket must have versioning enabled.");
            }

            if (destination.Name == source.Name)
            {
                throw S3Errors.InvalidRequest.ToException("Destination bucket cannot be the same as the source bucket.");
            }

            if (read.DestinationAccount is { } account && account != destination.AccountId)
            {
                throw S3Errors.InvalidRequest.ToException("The destination bucket owner account ID does not match the Account specified in the replication rule.");
            }

            stored.Add(rule);
        }

        return new JsonObject { ["Role"] = role, ["Rules"] = stored };
    }

    /// <summary>The role of a stored configuration.</summary>
    public static string? RoleOf(JsonNode? stored) => stored?["Role"]?.GetValue<string>();

    /// <summary>The rules of a stored (already valid) configuration; none when there is none.</summary>
    public static IReadOnlyList<ReplicationRule> RulesOf(JsonNode? stored) =>
        stored?["Rules"] is JsonArray rules ? [.. rules.OfType<JsonObject>().Select(Read)] : [];

    private static ReplicationRule Read(JsonObject rule)
    {
        var enabled = S3Input.String(rule, "Status") switch
        {
            "Enabled" => true,
            "Disabled" => false,
            _ => throw S3Errors.MalformedXml.ToException(),
        };
        var legacyPrefix = S3Input.String(rule, "Prefix");
        var filterNode = S3Input.Object(rule, "Filter");
        if (legacyPrefix is not null && filterNode is not null)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var v2 = filterNode is not null || legacyPrefix is null;
        var filter = v2 ? Filter(filterNode ?? []) : new LifecycleFilter(legacyPrefix!, [], null, null);
        var priority = S3Input.Integer(rule, "Priority");
        var markers = S3Input.Object(rule, "DeleteMarkerReplication");
        if (v2)
        {
            if (markers is null)
            {
                throw S3Errors.InvalidRequest.ToException("DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.");
            }

            if (priority is null)
            {
                throw S3Errors.InvalidRequest.ToException("Priority must be specified for this version of Cross Region Replication configuration schema.");
            }
        }

        var replicateMarkers = !v2 || S3Input.String(markers!, "Status") switch
        {
            "Enabled" => true,
            "Disabled" => false,
            _ => throw S3Errors.MalformedXml.ToException(),
        };
        if (v2 && replicateMarkers && filter.Tags.Count > 0)
        {
            throw S3Errors.InvalidRequest.ToException("Delete marker replication is not supported if any Tag filter is specified.");
        }

        var destination = S3Input.Object(rule, "Destination") ?? throw S3Errors.MalformedXml.ToException();
        var bucketArn = S3Input.String(destination, "Bucket") ?? throw S3Errors.MalformedXml.ToException();
        if (!bucketArn.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) || bucketArn.Length == "arn:aws:s3:::".Length || bucketArn.Contains('/', StringComparison.Ordinal))
        {
            throw S3Errors.InvalidArgument.ToException("Invalid bucket ARN.");
        }

        var storageClass = S3Input.String(destination, "StorageClass");
        if (storageClass is not null && !StorageClasses.Contains(storageClass))
        {
            throw S3Errors.InvalidStorageClass.ToException();
        }

        var account = S3Input.String(destination, "Account");
        var ownerOverride = false;
        if (S3Input.Object(destination, "AccessControlTranslation") is { } translation)
        {
            if (S3Input.String(translation, "Owner") != "Destination")
            {
                throw S3Errors.MalformedXml.ToException();
            }

            ownerOverride = account is not null
                ? true
                : throw S3Errors.InvalidRequest.ToException("Account is required when AccessControlTranslation is specified.");
        }

        var replicaKey = S3Input.Object(destination, "EncryptionConfiguration") is { } encryption ? S3Input.String(encryption, "ReplicaKmsKeyID") : null;
        var sseKms = S3Input.Object(rule, "SourceSelectionCriteria")?["SseKmsEncryptedObjects"] is JsonObject kms
            && (S3Input.String(kms, "Status") switch { "Enabled" => true, "Disabled" => false, _ => throw S3Errors.MalformedXml.ToException() });
        if (sseKms && replicaKey is null)
        {
            throw S3Errors.InvalidRequest.ToException("ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.");
        }

        if (!sseKms && replicaKey is not null)
        {
            throw S3Errors.InvalidRequest.ToException("SseKmsEncryptedObjects must be specified if EncryptionConfiguration is present.");
        }

        if (priority is < 0 or > int.MaxValue)
        {
            throw S3Errors.InvalidArgument.ToException("Priority must be a non-negative integer.");
        }

        return new ReplicationRule(
            S3Input.String(rule, "ID") ?? "", (int)(priority ?? 0), enabled, filter, v2,
            bucketArn["arn:aws:s3:::".Length..], account, storageClass, ownerOverride, replicaKey, replicateMarkers, sseKms);
    }

    private static LifecycleFilter Filter(JsonObject filter)
    {
        var given = FilterMembers.Count(filter.ContainsKey);
        if (given > 1)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (S3Input.Object(filter, "And") is { } and)
        {
            var tags = (and["Tags"] as JsonArray ?? []).OfType<JsonObject>().Select(Tag).ToList();
            return new LifecycleFilter(S3Input.String(and, "Prefix") ?? "", tags, null, null);
        }

        var tag = S3Input.Object(filter, "Tag") is { } one ? [Tag(one)] : Array.Empty<KeyValuePair<string, string>>();
        return new LifecycleFilter(S3Input.String(filter, "Prefix") ?? "", tag, null, null);
    }

    private static KeyValuePair<string, string> Tag(JsonObject tag) =>
        S3Input.String(tag, "Key") is { } key ? new(key, S3Input.String(tag, "Value") ?? "") : throw S3Errors.MalformedXml.ToException();
}
