using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Checks;
using Cloudkeep.Client;

namespace Cloudkeep.Watch;

/// <summary>Reads one account's facts through IAM, S3, KMS and CloudTrail, with the credentials of (a role in) that account. Reads only.</summary>
internal sealed class FactCollector(WatchConnection connection, IReadOnlyCollection<string> keyRegions)
{
    public async Task<AccountFacts> CollectAsync(string accountId, string? accountName, CancellationToken cancellationToken)
    {
        var (roles, policies) = await AuthorizationAsync(cancellationToken);
        var buckets = await BucketsAsync(cancellationToken);
        var regions = keyRegions.Concat(buckets.Select(b => b.Region)).Append(connection.Region).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new AccountFacts(accountId, accountName)
        {
            Credentials = await CredentialsAsync(cancellationToken),
            PasswordPolicy = await PasswordPolicyAsync(cancellationToken),
            Roles = roles,
            Policies = policies,
            Buckets = buckets,
            Keys = await KeysAsync(regions, cancellationToken),
            Trails = await TrailsAsync(regions, cancellationToken),
        };
    }

    /// <summary>Each region's trails (DescribeTrails with their shadows), each trail's status asked once, by ARN, where it was first seen.</summary>
    private async Task<IReadOnlyList<RegionTrails>> TrailsAsync(IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var logging = new Dictionary<string, bool>(StringComparer.Ordinal);
        var result = new List<RegionTrails>();
        foreach (var region in regions)
        {
            var cloudTrail = connection.CloudTrail(region);
            var described = await cloudTrail.CallAsync("DescribeTrails", region, new JsonObject { ["includeShadowTrails"] = true }, cancellationToken);
            var trails = new List<TrailFact>();
            foreach (var trail in (described["trailList"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var fact = TrailFact.From(trail, region, logging: false);
                var arn = fact.Arn;
                if (!logging.TryGetValue(arn, out var on))
                {
                    var status = await cloudTrail.CallAsync("GetTrailStatus", region, new JsonObject { ["Name"] = arn }, cancellationToken);
                    logging[arn] = on = TrailFact.Flag(status["IsLogging"]);
                }

                trails.Add(fact with { Logging = on });
            }

            result.Add(new RegionTrails(region, [.. trails.OrderBy(t => t.Arn, StringComparer.Ordinal)]));
        }

        return result;
    }

    private async Task<IReadOnlyList<CredentialRow>> CredentialsAsync(CancellationToken cancellationToken)
    {
        // AWS makes the report in the background: Generate until it says COMPLETE, then Get.
        for (var attempt = 0; ; attempt++)
        {
            var state = IamClient.Descendant(await connection.Iam.CallAsync("GenerateCredentialReport", [], cancellationToken), "State");
            if (state == "COMPLETE" || attempt >= 30)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }

        var report = await connection.Iam.CallAsync("GetCredentialReport", [], cancellationToken);
        var content = IamClient.Descendant(report, "Content") ?? "";
        return CredentialReportCsv.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(content)));
    }

    private async Task<PasswordPolicyFact?> PasswordPolicyAsync(CancellationToken cancellationToken)
    {
        var answer = await connection.Iam.FindAsync("GetAccountPasswordPolicy", [], cancellationToken);
        if (answer?.Descendants().FirstOrDefault(e => e.Name.LocalName == "PasswordPolicy") is not { } policy)
        {
            return null;
        }

        bool Flag(string name) => IamClient.Child(policy, name) == "true";
        int? Number(string name) => int.TryParse(IamClient.Child(policy, name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new PasswordPolicyFact(Number("MinimumPasswordLength") ?? 6, Flag("RequireUppercaseCharacters"), Flag("RequireLowercaseCharacters"),
            Flag("RequireNumbers"), Flag("RequireSymbols"), Number("MaxPasswordAge"), Number("PasswordReusePrevention"));
    }

    /// <summary>Roles with their trust policies, and every policy (customer and AWS managed, inline) with who has it, from GetAccountAuthorizationDetails.</summary>
    private async Task<(IReadOnlyList<RoleFact> Roles, IReadOnlyList<PolicyFact> Policies)> AuthorizationAsync(CancellationToken cancellationToken)
    {
        var entities = new List<(string Kind, XElement Element)>();
        var managed = new List<XElement>();
        string? marker = null;
        do
        {
            List<KeyValuePair<string, string>> parameters =
            [
                new("Filter.member.1", "User"), new("Filter.member.2", "Group"), new("Filter.member.3", "Role"),
                new("Filter.member.4", "LocalManagedPolicy"), new("Filter.member.5", "AWSManagedPolicy"),
            ];
            if (marker is not null)
            {
                parameters.Add(new("Marker", marker));
            }

            var answer = await connection.Iam.CallAsync("GetAccountAuthorizationDetails", parameters, cancellationToken);
            entities.AddRange(Members(answer, "UserDetailList").Select(e => ("user", e)));
            entities.AddRange(Members(answer, "GroupDetailList").Select(e => ("group", e)));
            entities.AddRange(Members(answer, "RoleDetailList").Select(e => ("role", e)));
            managed.AddRange(Members(answer, "Policies"));
            var result = answer.Descendants().First(e => e.Name.LocalName == "GetAccountAuthorizationDetailsResult");
            marker = IamClient.Child(result, "IsTruncated") == "true" ? IamClient.Child(result, "Marker") : null;
        }
        while (marker is not null);

        var roles = new List<RoleFact>();
        var policies = new List<PolicyFact>();
        var attachments = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (kind, element) in entities)
        {
            var name = IamClient.Child(element, kind switch { "user" => "UserName", "group" => "GroupName", _ => "RoleName" }) ?? "";
            var arn = IamClient.Child(element, "Arn") ?? "";
            if (kind == "role")
            {
                roles.Add(new RoleFact(name, arn, PolicyDocuments.Parse(IamClient.Child(element, "AssumeRolePolicyDocument"))));
            }

            var inlineList = kind switch { "user" => "UserPolicyList", "group" => "GroupPolicyList", _ => "RolePolicyList" };
            foreach (var inline in Members(element, inlineList))
            {
                var policyName = IamClient.Child(inline, "PolicyName") ?? "";
                policies.Add(new PolicyFact($"{policyName} (inline in {kind}/{name})", arn, PolicyDocuments.Parse(IamClient.Child(inline, "PolicyDocument")), [$"{kind}/{name}"]));
            }

            foreach (var attached in Members(element, "AttachedManagedPolicies"))
            {
                var policyArn = IamClient.Child(attached, "PolicyArn") ?? "";
                if (!attachments.TryGetValue(policyArn, out var list))
                {
                    attachments[policyArn] = list = [];
                }

                list.Add($"{kind}/{name}");
            }
        }

        foreach (var policy in managed)
        {
            var arn = IamClient.Child(policy, "Arn") ?? "";
            var version = Members(policy, "PolicyVersionList").FirstOrDefault(v => IamClient.Child(v, "IsDefaultVersion") == "true");
            policies.Add(new PolicyFact(IamClient.Child(policy, "PolicyName") ?? arn, arn, PolicyDocuments.Parse(IamClient.Child(version, "Document")), attachments.GetValueOrDefault(arn) ?? []));
        }

        return (roles, policies);
    }

    private static IEnumerable<XElement> Members(XElement parent, string list) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == list)?.Elements() ?? parent.Descendants().FirstOrDefault(e => e.Name.LocalName == list)?.Elements() ?? [];

    private async Task<IReadOnlyList<BucketFact>> BucketsAsync(CancellationToken cancellationToken)
    {
        var home = connection.S3(connection.Region);
        var buckets = new List<BucketFact>();
        foreach (var bucket in (await home.ListBucketsAsync(new ListBucketsRequest(), cancellationToken)).Buckets ?? [])
        {
            var location = (await home.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket.BucketName }, cancellationToken)).Location?.Value;
            // GetBucketLocation answers an empty constraint for us-east-1 and "EU" for the oldest eu-west-1 buckets.
            var region = location switch { null or "" => "us-east-1", "EU" => "eu-west-1", _ => location };
            buckets.Add(await BucketAsync(connection.S3(region), bucket.BucketName, region, cancellationToken));
        }

        return buckets;
    }

    private static async Task<BucketFact> BucketAsync(AmazonS3Client s3, string name, string region, CancellationToken cancellationToken)
    {
        var policy = await Optional(() => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = name }, cancellationToken), "NoSuchBucketPolicy");
        var acl = await s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = name }, cancellationToken);
        var block = (await Optional(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = name }, cancellationToken), "NoSuchPublicAccessBlockConfiguration"))?.PublicAccessBlockConfiguration;
        var versioning = (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = name }, cancellationToken)).VersioningConfig?.Status;
        var encryption = await Optional(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = name }, cancellationToken), "ServerSideEncryptionConfigurationNotFoundError");
        var replication = await Optional(() => s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = name }, cancellationToken), "ReplicationConfigurationNotFoundError");
        var logging = (await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = name }, cancellationToken)).BucketLoggingConfig;
        return new BucketFact(name, region)
        {
            Policy = PolicyDocuments.Parse(policy?.Policy),
            AclGroupGrantees = [.. (acl.Grants ?? []).Select(g => g.Grantee?.URI).OfType<string>()],
            PublicAccessBlock = block is null ? null : new PublicAccessBlockFact(block.BlockPublicAcls == true, block.IgnorePublicAcls == true, block.BlockPublicPolicy == true, block.RestrictPublicBuckets == true),
            Versioning = versioning == VersionStatus.Enabled,
            DefaultEncryption = encryption?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules is { Count: > 0 },
            Replication = replication?.Configuration?.Rules is { Count: > 0 },
            AccessLogging = !string.IsNullOrEmpty(logging?.TargetBucketName),
        };
    }

    private async Task<IReadOnlyList<KeyFact>> KeysAsync(IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var keys = new List<KeyFact>();
        foreach (var region in regions)
        {
            var kms = connection.Kms(region);
            string? marker = null;
            do
            {
                var page = await kms.ListKeysAsync(new ListKeysRequest { Marker = marker }, cancellationToken);
                foreach (var key in page.Keys ?? [])
                {
                    var metadata = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }, cancellationToken)).KeyMetadata;
                    if (metadata.KeyManager == KeyManagerType.AWS || metadata.KeyState == KeyState.PendingDeletion)
                    {
                        continue;
                    }

                    var policy = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "default" }, cancellationToken);
                    keys.Add(new KeyFact(key.KeyId, key.KeyArn, region, PolicyDocuments.Parse(policy.Policy)));
                }

                marker = page.Truncated == true ? page.NextMarker : null;
            }
            while (marker is not null);
        }

        return keys;
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
}
