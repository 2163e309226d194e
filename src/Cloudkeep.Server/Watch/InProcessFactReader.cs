using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Checks;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Server.Pipeline;

namespace Cloudkeep.Server.Watch;

/// <summary>
/// Reads one account's facts for the security watch through the same operations `cloudkeep watch`
/// calls over the wire (IAM's credential report and authorization details, S3's bucket settings,
/// KMS key policies, CloudTrail's trails and their status), run in process as the account's root
/// user and authorized by the one policy engine like any caller, so the facts are what the API
/// answers. Reads only; the reads are not recorded as CloudTrail events (nothing crossed the wire).
/// </summary>
internal sealed class InProcessFactReader(InProcessOperations operations)
{
    /// <summary>Where IAM, Organizations and the other global services are asked.</summary>
    private const string GlobalRegion = "us-east-1";

    /// <summary>The caller's address: none, the request never left the server.</summary>
    private const string SourceIp = "127.0.0.1";

    /// <summary>An account's root user, without an access key: the job needs no credentials, only the engine's leave.</summary>
    public static Caller RootOf(string accountId) =>
        new(PrincipalKind.Root, accountId, $"arn:aws:iam::{accountId}:root", accountId, null);

    /// <summary>
    /// The estate's active accounts as the management account's Organizations sees them (id and
    /// name), or only the management account when there is no organization.
    /// </summary>
    public async Task<IReadOnlyList<(string Id, string? Name)>> AccountsAsync(string managementAccountId, CancellationToken cancellationToken)
    {
        var caller = RootOf(managementAccountId);
        var accounts = new List<(string, string?)>();
        string? token = null;
        do
        {
            var input = new JsonObject();
            if (token is not null)
            {
                input["NextToken"] = token;
            }

            JsonObject page;
            try
            {
                page = await RunAsync(caller, "organizations", "ListAccounts", input, GlobalRegion, cancellationToken);
            }
            catch (AwsException e) when (e.Code == "AWSOrganizationsNotInUseException")
            {
                return [(managementAccountId, null)];
            }

            foreach (var account in Items(page, "Accounts"))
            {
                if (Text(account["Status"]) is null or "ACTIVE")
                {
                    accounts.Add((Text(account["Id"]) ?? "", Text(account["Name"])));
                }
            }

            token = Text(page["NextToken"]);
        }
        while (token is not null);
        return accounts;
    }

    /// <summary>
    /// One account's facts; <paramref name="regions"/> are where KMS keys and trails are read besides
    /// the buckets' regions (as the command's --region and --check-region).
    /// </summary>
    public async Task<AccountFacts> ReadAsync(string accountId, string? accountName, IReadOnlyCollection<string> regions, CancellationToken cancellationToken)
    {
        var caller = RootOf(accountId);
        var (roles, policies) = await AuthorizationAsync(caller, cancellationToken);
        var buckets = await BucketsAsync(caller, cancellationToken);
        var looked = regions.Concat(buckets.Select(b => b.Region)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new AccountFacts(accountId, accountName)
        {
            Credentials = await CredentialsAsync(caller, cancellationToken),
            PasswordPolicy = await PasswordPolicyAsync(caller, cancellationToken),
            Roles = roles,
            Policies = policies,
            Buckets = buckets,
            Keys = await KeysAsync(caller, looked, cancellationToken),
            Trails = await TrailsAsync(caller, looked, cancellationToken),
        };
    }

    private async Task<IReadOnlyList<CredentialRow>> CredentialsAsync(Caller caller, CancellationToken cancellationToken)
    {
        // Cloudkeep makes the report on demand: Generate answers COMPLETE at once.
        await RunAsync(caller, "iam", "GenerateCredentialReport", [], GlobalRegion, cancellationToken);
        var report = await RunAsync(caller, "iam", "GetCredentialReport", [], GlobalRegion, cancellationToken);
        var content = report["Content"] switch
        {
            JsonValue value when value.TryGetValue<byte[]>(out var bytes) => bytes,
            JsonValue value when value.TryGetValue<string>(out var base64) => Convert.FromBase64String(base64),
            _ => [],
        };
        return CredentialReportCsv.Parse(Encoding.UTF8.GetString(content));
    }

    private async Task<PasswordPolicyFact?> PasswordPolicyAsync(Caller caller, CancellationToken cancellationToken)
    {
        var answer = await OptionalAsync(() => RunAsync(caller, "iam", "GetAccountPasswordPolicy", [], GlobalRegion, cancellationToken), "NoSuchEntity");
        if (answer?["PasswordPolicy"] is not JsonObject policy)
        {
            return null;
        }

        bool Flag(string name) => policy[name] is JsonValue v && v.TryGetValue<bool>(out var on) && on;
        int? Number(string name) => policy[name] is JsonValue v && v.TryGetValue<long>(out var n) ? (int)n : policy[name] is JsonValue w && w.TryGetValue<int>(out var i) ? i : null;
        return new PasswordPolicyFact(Number("MinimumPasswordLength") ?? 6, Flag("RequireUppercaseCharacters"), Flag("RequireLowercaseCharacters"),
            Flag("RequireNumbers"), Flag("RequireSymbols"), Number("MaxPasswordAge"), Number("PasswordReusePrevention"));
    }

    /// <summary>Roles with their trust policies, and every policy with who has it, from GetAccountAuthorizationDetails (as the command reads them).</summary>
    private async Task<(IReadOnlyList<RoleFact> Roles, IReadOnlyList<PolicyFact> Policies)> AuthorizationAsync(Caller caller, CancellationToken cancellationToken)
    {
        var entities = new List<(string Kind, JsonObject Entity)>();
        var managed = new List<JsonObject>();
        string? marker = null;
        do
        {
            var input = new JsonObject { ["Filter"] = new JsonArray("User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy") };
            if (marker is not null)
            {
                input["Marker"] = marker;
            }

            var page = await RunAsync(caller, "iam", "GetAccountAuthorizationDetails", input, GlobalRegion, cancellationToken);
            entities.AddRange(Items(page, "UserDetailList").Select(e => ("user", e)));
            entities.AddRange(Items(page, "GroupDetailList").Select(e => ("group", e)));
            entities.AddRange(Items(page, "RoleDetailList").Select(e => ("role", e)));
            managed.AddRange(Items(page, "Policies"));
            marker = page["IsTruncated"] is JsonValue t && t.TryGetValue<bool>(out var truncated) && truncated ? Text(page["Marker"]) : null;
        }
        while (marker is not null);

        var roles = new List<RoleFact>();
        var policies = new List<PolicyFact>();
        var attachments = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (kind, entity) in entities)
        {
            var name = Text(entity[kind switch { "user" => "UserName", "group" => "GroupName", _ => "RoleName" }]) ?? "";
            var arn = Text(entity["Arn"]) ?? "";
            if (kind == "role")
            {
                roles.Add(new RoleFact(name, arn, PolicyDocuments.Parse(Text(entity["AssumeRolePolicyDocument"]))));
            }

            foreach (var inline in Items(entity, kind switch { "user" => "UserPolicyList", "group" => "GroupPolicyList", _ => "RolePolicyList" }))
            {
                policies.Add(new PolicyFact($"{Text(inline["PolicyName"])} (inline in {kind}/{name})", arn, PolicyDocuments.Parse(Text(inline["PolicyDocument"])), [$"{kind}/{name}"]));
            }

            foreach (var attached in Items(entity, "AttachedManagedPolicies"))
            {
                var policyArn = Text(attached["PolicyArn"]) ?? "";
                if (!attachments.TryGetValue(policyArn, out var list))
                {
                    attachments[policyArn] = list = [];
                }

                list.Add($"{kind}/{name}");
            }
        }

        foreach (var policy in managed)
        {
            var arn = Text(policy["Arn"]) ?? "";
            var version = Items(policy, "PolicyVersionList").FirstOrDefault(v => v["IsDefaultVersion"] is JsonValue d && d.TryGetValue<bool>(out var isDefault) && isDefault);
            policies.Add(new PolicyFact(Text(policy["PolicyName"]) ?? arn, arn, PolicyDocuments.Parse(Text(version?["Document"])), attachments.GetValueOrDefault(arn) ?? []));
        }

        return (roles, policies);
    }

    private async Task<IReadOnlyList<BucketFact>> BucketsAsync(Caller caller, CancellationToken cancellationToken)
    {
        var buckets = new List<BucketFact>();
        foreach (var listed in Items(await RunAsync(caller, "s3", "ListBuckets", [], GlobalRegion, cancellationToken), "Buckets"))
        {
            var name = Text(listed["Name"]) ?? "";
            var location = Text((await RunAsync(caller, "s3", "GetBucketLocation", Bucket(name), GlobalRegion, cancellationToken))["LocationConstraint"]);
            var region = location switch { null or "" => "us-east-1", "EU" => "eu-west-1", _ => location };
            buckets.Add(await BucketAsync(caller, name, region, cancellationToken));
        }

        return buckets;
    }

    private async Task<BucketFact> BucketAsync(Caller caller, string name, string region, CancellationToken cancellationToken)
    {
        Task<JsonObject> Get(string operation) => RunAsync(caller, "s3", operation, Bucket(name), region, cancellationToken);
        var policy = await OptionalAsync(() => Get("GetBucketPolicy"), "NoSuchBucketPolicy");
        var acl = await Get("GetBucketAcl");
        var block = (await OptionalAsync(() => Get("GetPublicAccessBlock"), "NoSuchPublicAccessBlockConfiguration"))?["PublicAccessBlockConfiguration"] as JsonObject;
        var versioning = Text((await Get("GetBucketVersioning"))["Status"]);
        var encryption = await OptionalAsync(() => Get("GetBucketEncryption"), "ServerSideEncryptionConfigurationNotFoundError");
        var replication = await OptionalAsync(() => Get("GetBucketReplication"), "ReplicationConfigurationNotFoundError");
        var logging = (await Get("GetBucketLogging"))["LoggingEnabled"] as JsonObject;
        bool Flag(string setting) => block?[setting] is JsonValue v && v.TryGetValue<bool>(out var on) && on;
        return new BucketFact(name, region)
        {
            Policy = PolicyDocuments.Parse(Text(policy?["Policy"])),
            AclGroupGrantees = [.. Items(acl, "Grants").Select(g => Text(g["Grantee"]?["URI"])).OfType<string>()],
            PublicAccessBlock = block is null ? null : new PublicAccessBlockFact(Flag("BlockPublicAcls"), Flag("IgnorePublicAcls"), Flag("BlockPublicPolicy"), Flag("RestrictPublicBuckets")),
            Versioning = versioning == "Enabled",
            DefaultEncryption = Items(encryption?["ServerSideEncryptionConfiguration"] as JsonObject, "Rules").Any(),
            Replication = Items(replication?["ReplicationConfiguration"] as JsonObject, "Rules").Any(),
            AccessLogging = !string.IsNullOrEmpty(Text(logging?["TargetBucket"])),
        };
    }

    private async Task<IReadOnlyList<KeyFact>> KeysAsync(Caller caller, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var keys = new List<KeyFact>();
        foreach (var region in regions)
        {
            string? marker = null;
            do
            {
                var input = new JsonObject();
                if (marker is not null)
                {
                    input["Marker"] = marker;
                }

                var page = await RunAsync(caller, "kms", "ListKeys", input, region, cancellationToken);
                foreach (var key in Items(page, "Keys"))
                {
                    var id = Text(key["KeyId"]) ?? "";
                    var metadata = (await RunAsync(caller, "kms", "DescribeKey", new JsonObject { ["KeyId"] = id }, region, cancellationToken))["KeyMetadata"];
                    if (Text(metadata?["KeyManager"]) == "AWS" || Text(metadata?["KeyState"]) == "PendingDeletion")
                    {
                        continue;
                    }

                    var policy = await RunAsync(caller, "kms", "GetKeyPolicy", new JsonObject { ["KeyId"] = id, ["PolicyName"] = "default" }, region, cancellationToken);
                    keys.Add(new KeyFact(id, Text(key["KeyArn"]) ?? "", region, PolicyDocuments.Parse(Text(policy["Policy"]))));
                }

                marker = page["Truncated"] is JsonValue t && t.TryGetValue<bool>(out var truncated) && truncated ? Text(page["NextMarker"]) : null;
            }
            while (marker is not null);
        }

        return keys;
    }

    /// <summary>Each region's trails with their shadows, each trail's status asked once, by ARN, where it was first seen (as the command does).</summary>
    private async Task<IReadOnlyList<RegionTrails>> TrailsAsync(Caller caller, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var logging = new Dictionary<string, bool>(StringComparer.Ordinal);
        var result = new List<RegionTrails>();
        foreach (var region in regions)
        {
            var trails = new List<TrailFact>();
            foreach (var trail in Items(await RunAsync(caller, "cloudtrail", "DescribeTrails", new JsonObject { ["includeShadowTrails"] = true }, region, cancellationToken), "trailList"))
            {
                var fact = TrailFact.From(trail, region, logging: false);
                var arn = fact.Arn;
                if (!logging.TryGetValue(arn, out var on))
                {
                    var status = await RunAsync(caller, "cloudtrail", "GetTrailStatus", new JsonObject { ["Name"] = arn }, region, cancellationToken);
                    logging[arn] = on = TrailFact.Flag(status["IsLogging"]);
                }

                trails.Add(fact with { Logging = on });
            }

            result.Add(new RegionTrails(region, [.. trails.OrderBy(t => t.Arn, StringComparer.Ordinal)]));
        }

        return result;
    }

    /// <summary>
    /// An operation as the account's root user. The request never crosses a network, so it counts as
    /// sent over TLS: the estate's buckets deny aws:SecureTransport false, and this is no plain-http client.
    /// </summary>
    private async Task<JsonObject> RunAsync(Caller caller, string service, string operation, JsonObject input, string region, CancellationToken cancellationToken)
    {
        var request = InProcessOperations.Request(caller, service, operation, input, region, SourceIp, "cloudkeep-security-watch", secureTransport: true);
        var result = await operations.RunAsync(request, null, cancellationToken);
        if (result.Body is { } body)
        {
            await body.DisposeAsync();
        }

        return result.Output;
    }

    private static async Task<JsonObject?> OptionalAsync(Func<Task<JsonObject>> call, string missing)
    {
        try
        {
            return await call();
        }
        catch (AwsException e) when (e.Code == missing)
        {
            return null;
        }
    }

    private static JsonObject Bucket(string name) => new() { ["Bucket"] = name };

    private static IEnumerable<JsonObject> Items(JsonObject? parent, string list) => (parent?[list] as JsonArray ?? []).OfType<JsonObject>();

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
