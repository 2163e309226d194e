using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3;

/// <summary>
/// One ACL grant: a group (AllUsers, AuthenticatedUsers) or an account (by canonical user id), and
/// a permission. The owner's FULL_CONTROL is implicit and never stored.
/// </summary>
public sealed record S3Grant(string GranteeType, string Grantee, string Permission)
{
    public const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    public const string AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public const string Group = "Group";
    public const string CanonicalUser = "CanonicalUser";

    public static readonly IReadOnlySet<string> CannedAcls = new HashSet<string>(StringComparer.Ordinal)
    {
        "private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write",
    };

    public bool IsPublic => GranteeType == Group && Grantee is AllUsers or AuthenticatedUsers;

    /// <summary>The grants a canned ACL stands for, beyond the owner's full control.</summary>
    public static IReadOnlyList<S3Grant> FromCanned(string canned, string bucketOwnerCanonicalId) => canned switch
    {
        "public-read" => [new(Group, AllUsers, "READ")],
        "public-read-write" => [new(Group, AllUsers, "READ"), new(Group, AllUsers, "WRITE")],
        "authenticated-read" => [new(Group, AuthenticatedUsers, "READ")],
        "bucket-owner-read" => [new(CanonicalUser, bucketOwnerCanonicalId, "READ")],
        "bucket-owner-full-control" => [new(CanonicalUser, bucketOwnerCanonicalId, "FULL_CONTROL")],
        _ => [],
    };

    public static bool IsPublicCanned(string? canned) => canned is "public-read" or "public-read-write" or "authenticated-read";

    public static JsonArray ToJson(IEnumerable<S3Grant> grants) =>
        new([.. grants.Select(g => (JsonNode)new JsonObject { ["Type"] = g.GranteeType, ["Grantee"] = g.Grantee, ["Permission"] = g.Permission })]);

    public static IReadOnlyList<S3Grant> ListFrom(JsonNode? node) =>
        node is JsonArray array
            ? [.. array.OfType<JsonObject>().Select(o => new S3Grant(o["Type"]!.GetValue<string>(), o["Grantee"]!.GetValue<string>(), o["Permission"]!.GetValue<string>()))]
            : [];
}
