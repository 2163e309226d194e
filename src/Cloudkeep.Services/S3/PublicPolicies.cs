using System.Text.Json;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Whether a bucket policy is "public" in the sense of "The meaning of public" (S3 user guide,
/// Blocking public access): an Allow statement whose principal is a wildcard and which no condition
/// pins to fixed values of the keys AWS accepts as limiting (source IP ranges, source VPC or ARN,
/// principal account, organization, user id, ...).
/// </summary>
public static class PublicPolicies
{
    private static readonly HashSet<string> LimitingKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "aws:SourceIp", "aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceAccount", "aws:SourceOwner",
        "aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:userid", "aws:SourceOrgID",
        "s3:DataAccessPointArn", "s3:DataAccessPointAccount", "s3:x-amz-server-side-encryption-aws-kms-key-id",
    };

    public static bool IsPublic(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var document = JsonDocument.Parse(policy);
        if (!document.RootElement.TryGetProperty("Statement", out var statements))
        {
            return false;
        }

        var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
        return list.Any(IsPublicStatement);
    }

    private static bool IsPublicStatement(JsonElement statement)
    {
        if (!statement.TryGetProperty("Effect", out var effect) || effect.GetString() != "Allow")
        {
            return false;
        }

        if (!statement.TryGetProperty("Principal", out var principal) || !IsWildcardPrincipal(principal))
        {
            return false;
        }

        if (!statement.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        foreach (var op in condition.EnumerateObject())
        {
            // Only positive, exact-value operators pin a key; a wildcard value or IfExists does not.
            var name = op.Name;
            if (name.EndsWith("IfExists", StringComparison.Ordinal) || name.StartsWith("StringNot", StringComparison.Ordinal) || name.StartsWith("ArnNot", StringComparison.Ordinal) || name.StartsWith("NotIp", StringComparison.Ordinal) || name == "Null")
            {
                continue;
            }

            foreach (var key in op.Value.EnumerateObject())
            {
                if (LimitingKeys.Contains(key.Name) && !HasWildcard(key.Value, key.Name))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsWildcardPrincipal(JsonElement principal)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*";
        }

        if (principal.ValueKind == JsonValueKind.Object && principal.TryGetProperty("AWS", out var aws))
        {
            return aws.ValueKind == JsonValueKind.String ? aws.GetString() == "*" : aws.EnumerateArray().Any(a => a.GetString() == "*");
        }

        return false;
    }

    private static bool HasWildcard(JsonElement values, string key)
    {
        var items = values.ValueKind == JsonValueKind.Array ? values.EnumerateArray().Select(v => v.ToString()).ToList() : [values.ToString()];
        if (key.Equals("aws:SourceIp", StringComparison.OrdinalIgnoreCase))
        {
            // A range wider than /8 (or 0.0.0.0/0) is as good as none.
            return items.Any(i => i.Contains('/', StringComparison.Ordinal) && int.TryParse(i[(i.IndexOf('/', StringComparison.Ordinal) + 1)..], out var bits) && bits < 8);
        }

        return items.Any(i => i.Contains('*', StringComparison.Ordinal) || i.Contains('?', StringComparison.Ordinal));
    }
}
