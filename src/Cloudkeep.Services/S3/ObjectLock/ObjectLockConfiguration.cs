using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3.ObjectLock;

/// <summary>
/// A bucket's Object Lock configuration, kept in the shape GetObjectLockConfiguration answers:
/// ObjectLockEnabled and an optional default retention (GOVERNANCE or COMPLIANCE, Days or Years).
/// </summary>
internal static class ObjectLockConfiguration
{
    public const string Part = "ObjectLock";

    public static JsonObject Enabled() => new() { ["ObjectLockEnabled"] = "Enabled" };

    /// <summary>The configuration to store; MalformedXML / InvalidArgument for one S3 refuses.</summary>
    public static JsonObject Validate(JsonObject? configuration)
    {
        if (configuration is null || S3Input.String(configuration, "ObjectLockEnabled") != "Enabled")
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (S3Input.Object(configuration, "Rule") is not { } rule)
        {
            return Enabled();
        }

        var retention = S3Input.Object(rule, "DefaultRetention") ?? throw S3Errors.MalformedXml.ToException();
        if (S3Input.String(retention, "Mode") is not ("GOVERNANCE" or "COMPLIANCE"))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var days = S3Input.Integer(retention, "Days");
        var years = S3Input.Integer(retention, "Years");
        if ((days is null) == (years is null))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        if (days is <= 0 or > 36500 || years is <= 0 or > 100)
        {
            throw S3Errors.InvalidArgument.ToException("Default retention period must be a positive integer value");
        }

        return (JsonObject)configuration.DeepClone();
    }

    public static bool IsEnabled(BucketConfig config) => config.Get(Part) is not null;

    /// <summary>What S3 answers any lock request on a bucket without Object Lock.</summary>
    public static Core.Errors.AwsException Missing() => S3Errors.InvalidRequest.ToException("Bucket is missing Object Lock Configuration");

    public static void RequireEnabled(BucketConfig config)
    {
        if (!IsEnabled(config))
        {
            throw Missing();
        }
    }

    /// <summary>The retain-until date the bucket's default retention gives an object written now; null without one.</summary>
    public static (string Mode, DateTimeOffset Until)? DefaultFor(BucketConfig config, DateTimeOffset now)
    {
        if (config.Get(Part)?["Rule"]?["DefaultRetention"] is not JsonObject retention)
        {
            return null;
        }

        var mode = retention["Mode"]!.GetValue<string>();
        return S3Input.Integer(retention, "Days") is { } days
            ? (mode, now.AddDays(days))
            : (mode, now.AddYears((int)(S3Input.Integer(retention, "Years") ?? 0)));
    }
}
