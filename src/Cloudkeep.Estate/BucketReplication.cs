using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate;

/// <summary>
/// Replication configurations between the estate file's shape (canonical JSON, see
/// EstateParser.Replication) and the SDK's. The file's filter is flat: S3's And is how the API says
/// "a prefix and tags, or several tags", so it is added on the way out and removed on the way in.
/// A rule another tool wrote in S3's V1 schema (a rule-level Prefix, no Filter or Priority) reads
/// with its prefix as the filter, no priority, and delete markers replicated, which is what V1
/// means; it then differs from any rule of the file, which apply puts in the V2 schema.
/// </summary>
internal static class BucketReplication
{
    /// <summary>No configuration: what the file writes as <c>replication: {}</c>.</summary>
    public const string None = "{}";

    public static string FromSdk(ReplicationConfiguration? configuration)
    {
        if (configuration?.Rules is not { Count: > 0 } rules)
        {
            return None;
        }

        return CanonicalJson.Of(new JsonObject { ["role"] = configuration.Role, ["rules"] = new JsonArray([.. rules.Select(Rule)]) });
    }

    public static ReplicationConfiguration ToSdk(string json)
    {
        var configuration = JsonNode.Parse(json)!.AsObject();
        return new ReplicationConfiguration
        {
            Role = configuration["role"]!.GetValue<string>(),
            Rules = [.. configuration["rules"]!.AsArray().Select(r => ToRule(r!.AsObject()))],
        };
    }

    private static JsonObject Rule(ReplicationRule rule)
    {
        var json = new JsonObject { ["id"] = rule.Id, ["status"] = rule.Status?.Value ?? "Enabled" };
        var filter = new JsonObject();
        var tags = new JsonObject();
#pragma warning disable CS0618 // The V1 schema's rule-level Prefix: read so that a rule written that way shows as it is.
        var legacy = rule.Prefix;
#pragma warning restore CS0618
        var prefix = rule.Filter?.And?.Prefix ?? rule.Filter?.Prefix ?? legacy;
        foreach (var tag in (rule.Filter?.And?.Tags ?? []).Append(rule.Filter?.Tag).OfType<Tag>())
        {
            tags[tag.Key] = tag.Value ?? "";
        }

        if (prefix is { Length: > 0 })
        {
            filter["prefix"] = prefix;
        }

        if (tags.Count > 0)
        {
            filter["tags"] = JsonNode.Parse(CanonicalJson.Of(tags));
        }

        if (filter.Count > 0)
        {
            json["filter"] = filter;
        }

        var v1 = rule.Filter is null && legacy is not null;
        if (rule.Priority is { } priority)
        {
            json["priority"] = priority;
        }

        json["deleteMarkerReplication"] = v1 || rule.DeleteMarkerReplication?.Status?.Value == "Enabled";
        var destination = new JsonObject { ["bucket"] = rule.Destination?.BucketArn };
        if (rule.Destination?.AccountId is { Length: > 0 } account)
        {
            destination["account"] = account;
        }

        if (rule.Destination?.StorageClass?.Value is { Length: > 0 } storageClass)
        {
            destination["storageClass"] = storageClass;
        }

        if (rule.Destination?.AccessControlTranslation?.Owner?.Value == "Destination")
        {
            destination["ownerOverride"] = true;
        }

        if (rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID is { Length: > 0 } replicaKey)
        {
            destination["replicaKmsKeyId"] = replicaKey;
        }

        json["destination"] = destination;
        return json;
    }

    private static ReplicationRule ToRule(JsonObject rule)
    {
        var filter = rule["filter"] as JsonObject ?? [];
        var prefix = filter["prefix"]?.GetValue<string>();
        var tags = (filter["tags"] as JsonObject ?? []).Select(t => new Tag { Key = t.Key, Value = t.Value!.GetValue<string>() }).ToList();
        var destination = rule["destination"]!.AsObject();
        var result = new ReplicationRule
        {
            Id = rule["id"]!.GetValue<string>(),
            Priority = (int)rule["priority"]!.GetValue<long>(),
            Status = ReplicationRuleStatus.FindValue(rule["status"]!.GetValue<string>()),
            // S3 wants And for a prefix with tags or for several tags, and a bare Prefix of "" for the whole bucket.
            Filter = (prefix, tags.Count) switch
            {
                (_, 0) => new ReplicationRuleFilter { Prefix = prefix ?? "" },
                (null, 1) => new ReplicationRuleFilter { Tag = tags[0] },
                _ => new ReplicationRuleFilter { And = new ReplicationRuleAndOperator { Prefix = prefix, Tags = tags } },
            },
            DeleteMarkerReplication = new DeleteMarkerReplication
            {
                Status = rule["deleteMarkerReplication"]?.GetValue<bool>() == true ? DeleteMarkerReplicationStatus.Enabled : DeleteMarkerReplicationStatus.Disabled,
            },
            Destination = new ReplicationDestination
            {
                BucketArn = destination["bucket"]!.GetValue<string>(),
                AccountId = destination["account"]?.GetValue<string>(),
                StorageClass = destination["storageClass"] is { } storageClass ? S3StorageClass.FindValue(storageClass.GetValue<string>()) : null,
                AccessControlTranslation = destination["ownerOverride"]?.GetValue<bool>() == true ? new AccessControlTranslation { Owner = OwnerOverride.Destination } : null,
            },
        };
        // S3 takes a replica key only with SSE-KMS objects selected, and selects them only with a key to re-encrypt under.
        if (destination["replicaKmsKeyId"]?.GetValue<string>() is { } replicaKey)
        {
            result.Destination.EncryptionConfiguration = new EncryptionConfiguration { ReplicaKmsKeyID = replicaKey };
            result.SourceSelectionCriteria = new SourceSelectionCriteria
            {
                SseKmsEncryptedObjects = new SseKmsEncryptedObjects { SseKmsEncryptedObjectsStatus = SseKmsEncryptedObjectsStatus.Enabled },
            };
        }

        return result;
    }
}
