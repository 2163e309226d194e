using System.Net;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate;

/// <summary>
/// S3 buckets: region (fixed at creation: a change replaces the bucket), policy, public access block,
/// CORS, tags, versioning, MFA delete, lifecycle rules, default encryption, replication and server access logging. Each
/// bucket setting beyond the basics has its own partial file with a Read…Async that fills the live
/// value when the file manages it and an Update…Async that puts it with its undo.
/// </summary>
internal sealed partial class BucketHandler(EstateConnection connection) : IResourceHandler, IManualFields
{
    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        string region;
        try
        {
            var location = await connection.S3(connection.DefaultRegion).GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = desired.Name }, cancellationToken);
            // An empty location constraint is us-east-1, and "EU" is the old name of eu-west-1.
            region = location.Location?.Value switch
            {
                null or "" => "us-east-1",
                "EU" => "eu-west-1",
                var value => value,
            };
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var s3 = connection.S3(region);
        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["region"] = region };
        if (desired.Fields.ContainsKey("policy"))
        {
            var policy = await Optional(() => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = desired.Name }, cancellationToken), "NoSuchBucketPolicy");
            // The SDK turns S3's 404 NoSuchBucketPolicy into an answer whose "policy" is the error document.
            if (policy is { HttpStatusCode: HttpStatusCode.OK, Policy: { } text } && text.TrimStart().StartsWith('{'))
            {
                live["policy"] = CanonicalJson.Parse(policy.Policy);
            }
        }

        if (desired.Fields.ContainsKey("publicAccessBlock"))
        {
            var block = (await Optional(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = desired.Name }, cancellationToken), "NoSuchPublicAccessBlockConfiguration"))?.PublicAccessBlockConfiguration;
            live["publicAccessBlock"] = CanonicalJson.StringMap(new Dictionary<string, string>
            {
                ["blockPublicAcls"] = Flag(block?.BlockPublicAcls),
                ["ignorePublicAcls"] = Flag(block?.IgnorePublicAcls),
                ["blockPublicPolicy"] = Flag(block?.BlockPublicPolicy),
                ["restrictPublicBuckets"] = Flag(block?.RestrictPublicBuckets),
            });
        }

        if (desired.Fields.ContainsKey("cors"))
        {
            var cors = await Optional(() => s3.GetCORSConfigurationAsync(new GetCORSConfigurationRequest { BucketName = desired.Name }, cancellationToken), "NoSuchCORSConfiguration");
            live["cors"] = CanonicalJson.Of(new JsonArray([.. (cors?.Configuration?.Rules ?? []).Select(CorsRule)]));
        }

        if (desired.Fields.ContainsKey("tags"))
        {
            var tags = await Optional(() => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = desired.Name }, cancellationToken), "NoSuchTagSet");
            live["tags"] = CanonicalJson.StringMap((tags?.TagSet ?? []).Select(t => KeyValuePair.Create(t.Key, t.Value)));
        }

        await ReadVersioningAsync(s3, desired, live, cancellationToken);
        await ReadEncryptionAsync(s3, desired, live, cancellationToken);
        await ReadReplicationAsync(s3, desired, live, cancellationToken);
        await ReadLoggingAsync(s3, desired, live, cancellationToken);
        return live;
    }

    public IReadOnlyCollection<string> FixedFields => ["region"];

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. ((await connection.S3(connection.DefaultRegion).ListBucketsAsync(new ListBucketsRequest(), cancellationToken)).Buckets ?? []).Select(b => b.BucketName)];

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var region = resolved.Fields.GetValueOrDefault("region") ?? connection.DefaultRegion;
        var s3 = connection.S3(region);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = resolved.Name, BucketRegionName = region }, cancellationToken);
        journal.Done("CreateBucket", () => s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = resolved.Name }, CancellationToken.None));
    }

    /// <summary>Each setting is put, and its undo puts the live one back (or deletes it when there was none).</summary>
    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var s3 = connection.S3(live["region"]);
        var name = resolved.Name;
        // The public access block goes first: a block that is being lifted must not refuse the new policy.
        if (fields.Contains("publicAccessBlock"))
        {
            await PutBlockAsync(s3, name, resolved.Fields["publicAccessBlock"], cancellationToken);
            var old = live["publicAccessBlock"];
            journal.Done("PutPublicAccessBlock", () => PutBlockAsync(s3, name, old, CancellationToken.None));
        }

        // Versioning before lifecycle: rules on noncurrent versions are meant for a versioned bucket.
        // Replication needs it too, and must be gone before versioning can be suspended.
        var removesReplication = RemovesReplication(resolved, fields);
        if (removesReplication)
        {
            await UpdateReplicationAsync(s3, resolved, live, fields, journal, cancellationToken);
        }

        await UpdateVersioningAsync(s3, resolved, live, fields, journal, cancellationToken);
        await UpdateEncryptionAsync(s3, resolved, live, fields, journal, cancellationToken);
        if (!removesReplication)
        {
            await UpdateReplicationAsync(s3, resolved, live, fields, journal, cancellationToken);
        }

        await UpdateLoggingAsync(s3, resolved, live, fields, journal, cancellationToken);
        if (fields.Contains("cors"))
        {
            await PutCorsAsync(s3, name, resolved.Fields["cors"], cancellationToken);
            var old = live.GetValueOrDefault("cors") ?? "[]";
            journal.Done("PutBucketCors", () => PutCorsAsync(s3, name, old, CancellationToken.None));
        }

        if (fields.Contains("tags"))
        {
            await PutTagsAsync(s3, name, resolved.Fields["tags"], cancellationToken);
            var old = live.GetValueOrDefault("tags") ?? "{}";
            journal.Done("PutBucketTagging", () => PutTagsAsync(s3, name, old, CancellationToken.None));
        }

        // The policy goes last: one that denies this caller (e.g. a TLS-only rule over http) must not stop the rest.
        if (fields.Contains("policy"))
        {
            await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = name, Policy = resolved.Fields["policy"] }, cancellationToken);
            var old = live.GetValueOrDefault("policy");
            journal.Done("PutBucketPolicy", () => old is null
                ? s3.DeleteBucketPolicyAsync(new DeleteBucketPolicyRequest { BucketName = name }, CancellationToken.None)
                : s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = name, Policy = old }, CancellationToken.None));
        }
    }

    /// <summary>Deletes the bucket. Apply never deletes objects: S3 refuses a bucket that is not empty (BucketNotEmpty), and so does apply.</summary>
    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await ReadAsync(resource with { Fields = new Dictionary<string, string>() }, cancellationToken) is not { } live)
        {
            return;
        }

        await connection.S3(live["region"]).DeleteBucketAsync(new DeleteBucketRequest { BucketName = resource.Name }, cancellationToken);
    }

    private static async Task PutBlockAsync(AmazonS3Client s3, string name, string json, CancellationToken cancellationToken)
    {
        var block = JsonNode.Parse(json)!.AsObject();
        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = name,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
            {
                BlockPublicAcls = block["blockPublicAcls"]!.GetValue<string>() == "true",
                IgnorePublicAcls = block["ignorePublicAcls"]!.GetValue<string>() == "true",
                BlockPublicPolicy = block["blockPublicPolicy"]!.GetValue<string>() == "true",
                RestrictPublicBuckets = block["restrictPublicBuckets"]!.GetValue<string>() == "true",
            },
        }, cancellationToken);
    }

    private static async Task PutCorsAsync(AmazonS3Client s3, string name, string json, CancellationToken cancellationToken)
    {
        var rules = JsonNode.Parse(json)!.AsArray();
        if (rules.Count == 0)
        {
            await s3.DeleteCORSConfigurationAsync(new DeleteCORSConfigurationRequest { BucketName = name }, cancellationToken);
        }
        else
        {
            await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
            {
                BucketName = name,
                Configuration = new CORSConfiguration { Rules = [.. rules.Select(r => ToRule(r!.AsObject()))] },
            }, cancellationToken);
        }
    }

    private static async Task PutTagsAsync(AmazonS3Client s3, string name, string json, CancellationToken cancellationToken)
    {
        var tags = JsonNode.Parse(json)!.AsObject();
        if (tags.Count == 0)
        {
            await s3.DeleteBucketTaggingAsync(new DeleteBucketTaggingRequest { BucketName = name }, cancellationToken);
        }
        else
        {
            await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = name, TagSet = [.. tags.Select(t => new Tag { Key = t.Key, Value = t.Value!.GetValue<string>() })] }, cancellationToken);
        }
    }

    private static async Task<T?> Optional<T>(Func<Task<T>> call, string missing)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == missing)
        {
            return null;
        }
    }

    private static string Flag(bool? value) => value == true ? "true" : "false";

    /// <summary>A rule as the estate file writes it: only the keys that have a value.</summary>
    private static JsonObject CorsRule(CORSRule rule)
    {
        var json = new JsonObject();
        if (!string.IsNullOrEmpty(rule.Id))
        {
            json["id"] = rule.Id;
        }

        AddList(json, "allowedHeaders", rule.AllowedHeaders);
        AddList(json, "allowedMethods", rule.AllowedMethods);
        AddList(json, "allowedOrigins", rule.AllowedOrigins);
        AddList(json, "exposeHeaders", rule.ExposeHeaders);
        if (rule.MaxAgeSeconds is > 0)
        {
            json["maxAgeSeconds"] = rule.MaxAgeSeconds.Value;
        }

        return json;
    }

    private static void AddList(JsonObject json, string key, List<string>? values)
    {
        if (values is { Count: > 0 })
        {
            json[key] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }
    }

    private static CORSRule ToRule(JsonObject rule) => new()
    {
        Id = rule["id"]?.GetValue<string>(),
        AllowedHeaders = List(rule, "allowedHeaders"),
        AllowedMethods = List(rule, "allowedMethods"),
        AllowedOrigins = List(rule, "allowedOrigins"),
        ExposeHeaders = List(rule, "exposeHeaders"),
        MaxAgeSeconds = rule["maxAgeSeconds"] is { } age ? (int)age.GetValue<long>() : null,
    };

    private static List<string>? List(JsonObject rule, string key) => rule[key] is JsonArray values ? [.. values.Select(v => v!.ToString())] : null;
}
