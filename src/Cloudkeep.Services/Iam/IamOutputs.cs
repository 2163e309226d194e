using System.Text.Json.Nodes;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam;

/// <summary>Entities as the IAM model's output shapes (User, Group, Role, Policy, ...).</summary>
public static class IamOutputs
{
    /// <summary>IAM returns policy documents URL-encoded (RFC 3986), as its API reference says; the SDKs decode them.</summary>
    public static string EncodeDocument(string document) => Uri.EscapeDataString(document);

    public static JsonArray Tags(IEnumerable<IamTag> tags) =>
        new([.. tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]);

    public static JsonObject User(IamUser user)
    {
        var result = new JsonObject
        {
            ["Path"] = user.Path,
            ["UserName"] = user.UserName,
            ["UserId"] = user.UserId,
            ["Arn"] = user.Arn,
            ["CreateDate"] = JsonValue.Create(user.CreateDate),
        };
        if (user.PermissionsBoundary is { } boundary)
        {
            result["PermissionsBoundary"] = Boundary(boundary);
        }

        if (user.Tags.Count > 0)
        {
            result["Tags"] = Tags(user.Tags);
        }

        return result;
    }

    public static JsonObject Group(IamGroup group) => new()
    {
        ["Path"] = group.Path,
        ["GroupName"] = group.GroupName,
        ["GroupId"] = group.GroupId,
        ["Arn"] = group.Arn,
        ["CreateDate"] = JsonValue.Create(group.CreateDate),
    };

    public static JsonObject Role(IamRole role)
    {
        var result = new JsonObject
        {
            ["Path"] = role.Path,
            ["RoleName"] = role.RoleName,
            ["RoleId"] = role.RoleId,
            ["Arn"] = role.Arn,
            ["CreateDate"] = JsonValue.Create(role.CreateDate),
            ["AssumeRolePolicyDocument"] = EncodeDocument(role.AssumeRolePolicyDocument),
            ["MaxSessionDuration"] = role.MaxSessionDuration,
        };
        if (role.Description is { } description)
        {
            result["Description"] = description;
        }

        if (role.PermissionsBoundary is { } boundary)
        {
            result["PermissionsBoundary"] = Boundary(boundary);
        }

        if (role.Tags.Count > 0)
        {
            result["Tags"] = Tags(role.Tags);
        }

        return result;
    }

    public static JsonObject Policy(IamManagedPolicy policy, int attachmentCount)
    {
        var result = new JsonObject
        {
            ["PolicyName"] = policy.PolicyName,
            ["PolicyId"] = policy.PolicyId,
            ["Arn"] = policy.Arn,
            ["Path"] = policy.Path,
            ["DefaultVersionId"] = policy.DefaultVersionId,
            ["AttachmentCount"] = attachmentCount,
            ["PermissionsBoundaryUsageCount"] = 0,
            ["IsAttachable"] = true,
            ["CreateDate"] = JsonValue.Create(policy.CreateDate),
            ["UpdateDate"] = JsonValue.Create(policy.UpdateDate),
        };
        if (policy.Description is { } description)
        {
            result["Description"] = description;
        }

        if (policy.Tags.Count > 0)
        {
            result["Tags"] = Tags(policy.Tags);
        }

        return result;
    }

    public static JsonObject PolicyVersion(IamManagedPolicy policy, IamPolicyVersion version, bool includeDocument = true)
    {
        var result = new JsonObject
        {
            ["VersionId"] = version.VersionId,
            ["IsDefaultVersion"] = version.VersionId == policy.DefaultVersionId,
            ["CreateDate"] = JsonValue.Create(version.CreateDate),
        };
        if (includeDocument)
        {
            result["Document"] = EncodeDocument(version.Document);
        }

        return result;
    }

    public static JsonObject AttachedPolicy(string arn) => new()
    {
        ["PolicyName"] = arn[(arn.LastIndexOf('/') + 1)..],
        ["PolicyArn"] = arn,
    };

    private static JsonObject Boundary(string arn) => new()
    {
        ["PermissionsBoundaryType"] = "Policy",
        ["PermissionsBoundaryArn"] = arn,
    };
}
