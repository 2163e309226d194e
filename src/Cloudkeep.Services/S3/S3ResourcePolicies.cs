using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Policy;

namespace Cloudkeep.Services.S3;

/// <summary>
/// The resource policy a request is judged by: the bucket policy, plus, where ACLs are enabled, the
/// bucket's and the object's ACL grants written as equivalent statements (ACLs are resource-based
/// grants too). The public access block applies here: IgnorePublicAcls drops public grants and
/// RestrictPublicBuckets hides a public bucket policy from everyone outside the owner's account.
/// </summary>
internal static class S3ResourcePolicies
{
    private static readonly string[] BucketRead = ["s3:ListBucket", "s3:ListBucketMultipartUploads"];
    private static readonly string[] BucketWrite = ["s3:PutObject", "s3:DeleteObject"];
    private static readonly string[] ObjectRead = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"];

    public static async Task<CompiledPolicy?> ForAsync(S3Context s3, BucketState bucket, Caller caller, ObjectFacts? target, CancellationToken cancellationToken)
    {
        var config = bucket.Config;
        var policyText = config.Policy;
        var usePolicy = policyText is not null
            && !(config.RestrictPublicBuckets && caller.AccountId != bucket.AccountId && bucket.PolicyIsPublic);
        var statements = new JsonArray();
        if (config.AclsEnabled)
        {
            foreach (var grant in config.Grants)
            {
                await AddAsync(s3, statements, grant, config, BucketActions(grant.Permission, bucket.Name), cancellationToken);
            }

            if (target is not null)
            {
                foreach (var grant in target.Grants)
                {
                    await AddAsync(s3, statements, grant, config, ObjectActions(grant.Permission, bucket.Name, target.Key), cancellationToken);
                }

                if (target.OwnerAccount != bucket.AccountId)
                {
                    // The object's owner has full control of it; the bucket owner only what a grant gives.
                    statements.Add(Statement("Allow", Account(target.OwnerAccount), ["s3:*"], S3Arns.ForObject(bucket.Name, target.Key)));
                    var bucketOwnerCanonical = S3Context.CanonicalId(bucket.AccountId);
                    if (!target.Grants.Any(g => g.GranteeType == S3Grant.CanonicalUser && g.Grantee == bucketOwnerCanonical))
                    {
                        statements.Add(Statement("Deny", Account(bucket.AccountId), ObjectRead, S3Arns.ForObject(bucket.Name, target.Key)));
                    }
                }
            }
        }

        if (statements.Count == 0)
        {
            return usePolicy ? bucket.CompiledPolicy(s3) : null;
        }

        if (usePolicy && JsonNode.Parse(policyText!) is JsonObject policy && policy["Statement"] is { } existing)
        {
            var own = existing is JsonArray array ? array : new JsonArray(existing.DeepClone());
            foreach (var statement in own)
            {
                statements.Insert(0, statement!.DeepClone());
            }
        }

        return s3.Compile(new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString());
    }

    private static async Task AddAsync(S3Context s3, JsonArray statements, S3Grant grant, BucketConfig config, (string[] Actions, string Resource) what, CancellationToken cancellationToken)
    {
        if (what.Actions.Length == 0 || (grant.IsPublic && config.IgnorePublicAcls))
        {
            return;
        }

        if (grant.GranteeType == S3Grant.Group)
        {
            var statement = Statement("Allow", "*", what.Actions, what.Resource);
            if (grant.Grantee == S3Grant.AuthenticatedUsers)
            {
                statement["Condition"] = new JsonObject { ["Null"] = new JsonObject { ["aws:PrincipalArn"] = "false" } };
            }
            else if (grant.Grantee != S3Grant.AllUsers)
            {
                return;
            }

            statements.Add(statement);
        }
        else if (await s3.AccountOfCanonicalIdAsync(grant.Grantee, cancellationToken) is { } account)
        {
            statements.Add(Statement("Allow", Account(account), what.Actions, what.Resource));
        }
    }

    private static (string[], string) BucketActions(string permission, string bucket) => permission switch
    {
        "READ" => (BucketRead, S3Arns.ForBucket(bucket)),
        "WRITE" => (BucketWrite, S3Arns.ForBucket(bucket) + "/*"),
        "READ_ACP" => (["s3:GetBucketAcl"], S3Arns.ForBucket(bucket)),
        "WRITE_ACP" => (["s3:PutBucketAcl"], S3Arns.ForBucket(bucket)),
        "FULL_CONTROL" => ([.. BucketRead, "s3:GetBucketAcl", "s3:PutBucketAcl"], S3Arns.ForBucket(bucket)),
        _ => ([], ""),
    };

    private static (string[], string) ObjectActions(string permission, string bucket, string key) => permission switch
    {
        "READ" => (ObjectRead, S3Arns.ForObject(bucket, key)),
        "READ_ACP" => (["s3:GetObjectAcl"], S3Arns.ForObject(bucket, key)),
        "WRITE_ACP" => (["s3:PutObjectAcl"], S3Arns.ForObject(bucket, key)),
        "FULL_CONTROL" => ([.. ObjectRead, "s3:GetObjectAcl", "s3:PutObjectAcl"], S3Arns.ForObject(bucket, key)),
        _ => ([], ""),
    };

    private static JsonObject Account(string accountId) => new JsonObject { ["AWS"] = "arn:aws:iam::" + accountId + ":root" };

    private static JsonObject Statement(string effect, JsonNode principal, string[] actions, string resource) => new()
    {
        ["Effect"] = effect,
        ["Principal"] = principal is JsonValue ? principal : principal.DeepClone(),
        ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]),
        ["Resource"] = resource,
    };

    private static JsonObject Statement(string effect, string principal, string[] actions, string resource) =>
        Statement(effect, JsonValue.Create(principal), actions, resource);
}

/// <summary>What authorization needs to know about an existing object: its key, owner and ACL grants.</summary>
internal sealed record ObjectFacts(string Key, string OwnerAccount, IReadOnlyList<S3Grant> Grants);
