using System.Text.Json;

namespace Cloudkeep.Services.S3;

/// <summary>A bucket policy may only name its own bucket and its objects ("Policy has invalid resource" otherwise).</summary>
internal static class BucketPolicyResources
{
    public static void EnsureWithin(string policy, string bucket)
    {
        using var document = JsonDocument.Parse(policy);
        if (!document.RootElement.TryGetProperty("Statement", out var statements))
        {
            return;
        }

        var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
        var own = S3Arns.ForBucket(bucket);
        foreach (var statement in list)
        {
            foreach (var name in new[] { "Resource", "NotResource" })
            {
                if (!statement.TryGetProperty(name, out var resources))
                {
                    continue;
                }

                var items = resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray().Select(r => r.GetString() ?? "").ToList() : [resources.GetString() ?? ""];
                foreach (var resource in items)
                {
                    if (!(resource == own || resource.StartsWith(own + "/", StringComparison.Ordinal)))
                    {
                        throw S3Errors.MalformedPolicy.ToException("Policy has invalid resource");
                    }
                }
            }
        }
    }
}
