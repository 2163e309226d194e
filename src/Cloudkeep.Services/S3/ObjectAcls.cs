using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Who owns a newly written object and which ACL grants it carries, by the bucket's object ownership
/// ("Controlling ownership of objects and disabling ACLs"): with BucketOwnerEnforced every object is
/// the bucket owner's and only bucket-owner-full-control (or no ACL) is accepted; with
/// BucketOwnerPreferred that canned ACL hands the object to the bucket owner; with ObjectWriter the
/// writer's account owns it. BlockPublicAcls refusals are declared by the operation (PublicAccessBlock).
/// </summary>
internal static class ObjectAcls
{
    private static readonly (string Member, string Permission)[] GrantMembers =
    [
        ("GrantFullControl", "FULL_CONTROL"), ("GrantRead", "READ"), ("GrantReadACP", "READ_ACP"), ("GrantWriteACP", "WRITE_ACP"), ("GrantWrite", "WRITE"),
    ];

    public static (string Owner, IReadOnlyList<S3Grant> Grants) ForWrite(BucketState bucket, Caller caller, JsonObject input)
    {
        var acl = S3Input.String(input, "ACL");
        var explicitGrants = ExplicitGrants(input);
        if (!bucket.Config.AclsEnabled)
        {
            if ((acl is not null && acl is not ("bucket-owner-full-control" or "private")) || explicitGrants.Count > 0)
            {
                throw S3Errors.AccessControlListNotSupported.ToException();
            }

            return (bucket.AccountId, []);
        }

        var grants = Resolve(acl, explicitGrants, bucket);
        var owner = caller.IsAnonymous ? bucket.AccountId : caller.AccountId;
        if (bucket.Config.Ownership == BucketConfig.BucketOwnerPreferred && acl == "bucket-owner-full-control")
        {
            owner = bucket.AccountId;
        }

        return (owner, owner == bucket.AccountId ? [.. grants.Where(g => g.Grantee != S3Context.CanonicalId(bucket.AccountId))] : grants);
    }

    /// <summary>The grants of a canned ACL or explicit grant headers, refused when public grants are blocked.</summary>
    public static IReadOnlyList<S3Grant> Resolve(string? acl, IReadOnlyList<S3Grant> explicitGrants, BucketState bucket)
    {
        if (acl is not null && explicitGrants.Count > 0)
        {
            throw S3Errors.InvalidRequest.ToException("Specifying both Canned ACLs and Header Grants is not allowed");
        }

        if (acl is not null && !S3Grant.CannedAcls.Contains(acl))
        {
            throw S3Errors.InvalidArgument.ToException();
        }

        // Public grants on a bucket that blocks them were refused when the request was authorized (PublicAccessBlock).
        return acl is not null ? S3Grant.FromCanned(acl, S3Context.CanonicalId(bucket.AccountId)) : explicitGrants;
    }

    /// <summary>x-amz-grant-* headers, which the decode step read into (Type, Value) grantees.</summary>
    public static IReadOnlyList<S3Grant> ExplicitGrants(JsonObject input)
    {
        var grants = new List<S3Grant>();
        foreach (var (member, permission) in GrantMembers)
        {
            if (input[member] is not JsonArray grantees)
            {
                // Text the grammar could not read; an empty header grants nothing.
                if (S3Input.String(input, member) is { Length: > 0 })
                {
                    throw S3Errors.InvalidArgument.ToException();
                }

                continue;
            }

            foreach (var grantee in grantees.OfType<JsonObject>())
            {
                var type = S3Input.String(grantee, "Type") ?? "";
                var value = S3Input.String(grantee, "Value") ?? "";
                grants.Add(type switch
                {
                    "id" => new S3Grant(S3Grant.CanonicalUser, value, permission),
                    "uri" => new S3Grant(S3Grant.Group, value, permission),
                    _ => throw S3Errors.InvalidArgument.ToException($"Grantee type {type} is not supported."),
                });
            }
        }

        return grants;
    }

    /// <summary>An AccessControlPolicy document (Owner plus Grants) for GetObjectAcl / GetBucketAcl.</summary>
    public static async Task<JsonObject> ToAccessControlPolicyAsync(S3Context s3, string ownerAccount, IReadOnlyList<S3Grant> grants, CancellationToken cancellationToken)
    {
        var owner = await S3Owners.OwnerAsync(s3, ownerAccount, cancellationToken);
        var list = new JsonArray(new JsonObject
        {
            ["Grantee"] = new JsonObject { ["Type"] = S3Grant.CanonicalUser, ["ID"] = owner["ID"]!.DeepClone(), ["DisplayName"] = owner["DisplayName"]!.DeepClone() },
            ["Permission"] = "FULL_CONTROL",
        });
        foreach (var grant in grants)
        {
            var grantee = new JsonObject { ["Type"] = grant.GranteeType };
            if (grant.GranteeType == S3Grant.Group)
            {
                grantee["URI"] = grant.Grantee;
            }
            else
            {
                grantee["ID"] = grant.Grantee;
            }

            list.Add(new JsonObject { ["Grantee"] = grantee, ["Permission"] = grant.Permission });
        }

        return new JsonObject { ["Owner"] = owner, ["Grants"] = list };
    }

    /// <summary>The grants of an AccessControlPolicy body (PutObjectAcl / PutBucketAcl), the owner's own full control left implicit.</summary>
    public static IReadOnlyList<S3Grant> FromAccessControlPolicy(JsonObject policy, string ownerAccount)
    {
        var ownerId = S3Context.CanonicalId(ownerAccount);
        var grants = new List<S3Grant>();
        foreach (var grant in (policy["Grants"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var grantee = grant["Grantee"] as JsonObject ?? throw S3Errors.MalformedXml.ToException();
            var permission = grant["Permission"]?.GetValue<string>() ?? throw S3Errors.MalformedXml.ToException();
            var type = grantee["Type"]?.GetValue<string>();
            if (type == S3Grant.Group && grantee["URI"]?.GetValue<string>() is { } uri)
            {
                grants.Add(new S3Grant(S3Grant.Group, uri, permission));
            }
            else if (type == S3Grant.CanonicalUser && grantee["ID"]?.GetValue<string>() is { } id)
            {
                if (id != ownerId || permission != "FULL_CONTROL")
                {
                    grants.Add(new S3Grant(S3Grant.CanonicalUser, id, permission));
                }
            }
            else
            {
                throw S3Errors.MalformedXml.ToException();
            }
        }

        return grants;
    }
}
