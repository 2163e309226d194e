using System.Text.Json.Nodes;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>The checks CreateTrail and UpdateTrail share.</summary>
internal static class TrailSettings
{
    /// <summary>Delivery Cloudkeep does not do: refused, never accepted and ignored.</summary>
    public static void RefuseUnsupported(JsonObject input)
    {
        foreach (var member in new[] { "SnsTopicName", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "KmsKeyId" })
        {
            if (input.OptStr(member) is { Length: > 0 })
            {
                throw CloudTrailErrors.UnsupportedOperation.ToException($"Cloudkeep does not support {member} on trails: log files go to S3 only, encrypted with SSE-S3.");
            }
        }
    }

    /// <summary>S3KeyPrefix: at most 200 characters; an empty one is none.</summary>
    public static string? Prefix(string? prefix)
    {
        if (prefix is null || prefix.Length == 0)
        {
            return null;
        }

        if (prefix.Length > 200 || prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Contains("//", StringComparison.Ordinal))
        {
            throw CloudTrailErrors.InvalidS3Prefix.ToException($"Prefix is not valid: {prefix}");
        }

        return prefix;
    }

    /// <summary>"A trail that applies to all Regions must include global service events" (InvalidParameterCombinationException).</summary>
    public static void CheckCombination(TrailState trail)
    {
        if (trail.IsMultiRegion && !trail.IncludeGlobalServiceEvents)
        {
            throw CloudTrailErrors.InvalidParameterCombination.ToException("Multi-Region trail must include global service events.");
        }
    }
}
