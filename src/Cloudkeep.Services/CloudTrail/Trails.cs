using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Authorization;
using Cloudkeep.Services.S3;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>Finding a trail by name or ARN as a caller sees it, and checking a trail's bucket lets CloudTrail write.</summary>
public static class Trails
{
    public const string ServicePrincipal = "cloudtrail.amazonaws.com";

    /// <summary>The ARN a Name member stands for: itself when an ARN, else the caller's trail of that name in the request's region.</summary>
    public static string ArnOf(string nameOrArn, string region, string account) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn : TrailState.ArnFor(region, account, nameOrArn);

    /// <summary>
    /// The trails a caller sees in a region: its own created there, its own multi-region trails (their
    /// "shadow" in every region), and its organization's organization trails.
    /// </summary>
    public static async Task<List<TrailState>> VisibleAsync(CloudTrailContext context, string account, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rows = await context.Repository.TrailsAsync(cancellationToken);
        var management = await ManagementAccountAsync(context, cancellationToken);
        var member = management is not null && management != account && await context.Organizations.Accounts.GetAsync(account, cancellationToken) is not null;
        return [.. rows.Select(TrailState.FromRow).Where(t =>
            (t.AccountId == account || (member && t.IsOrganization && t.AccountId == management))
            && (t.HomeRegion == region || t.IsMultiRegion))];
    }

    /// <summary>The trail a Name (or TrailName) member names, as the caller sees it; the errors AWS gives otherwise.</summary>
    public static async Task<TrailState> FindAsync(CloudTrailContext context, OperationRequest request, string nameOrArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckNameOrArn(nameOrArn);
        var visible = await VisibleAsync(context, request.Caller.AccountId, request.Region, cancellationToken);
        var found = nameOrArn.StartsWith("arn:", StringComparison.Ordinal)
            ? visible.FirstOrDefault(t => t.Arn == nameOrArn)
            : visible.Where(t => t.Name == nameOrArn && t.AccountId == request.Caller.AccountId).OrderBy(t => t.HomeRegion == request.Region ? 0 : 1).FirstOrDefault();
        return found ?? throw CloudTrailErrors.TrailNotFound.ToException(
            $"Unknown trail: {ArnOf(nameOrArn, request.Region, request.Caller.AccountId)} for the user: {request.Caller.AccountId}");
    }

    /// <summary>The trail for a change: it must be the caller's own, changed from its home region.</summary>
    public static async Task<TrailState> FindOwnAsync(CloudTrailContext context, OperationRequest request, string nameOrArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trail = await FindAsync(context, request, nameOrArn, cancellationToken);
        if (trail.AccountId != request.Caller.AccountId)
        {
            throw CloudTrailErrors.NotOrganizationMasterAccount.ToException(
                "This operation is not allowed for an organization trail from a member account. Only the management account can change it.");
        }

        if (trail.HomeRegion != request.Region)
        {
            throw CloudTrailErrors.InvalidHomeRegion.ToException($"The trail {trail.Arn} can only be changed from its home region, {trail.HomeRegion}.");
        }

        return trail;
    }

    public static void CheckNameOrArn(string nameOrArn)
    {
        ArgumentNullException.ThrowIfNull(nameOrArn);
        if (nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = nameOrArn.Split(':', 6);
            if (parts.Length != 6 || parts[1] != "aws" || parts[2] != "cloudtrail" || parts[3].Length == 0 || parts[4].Length != 12
                || !parts[5].StartsWith("trail/", StringComparison.Ordinal) || !TrailState.IsValidName(parts[5]["trail/".Length..]))
            {
                throw CloudTrailErrors.ArnInvalid.ToException($"Invalid trail ARN: {nameOrArn}");
            }

            return;
        }

        if (!TrailState.IsValidName(nameOrArn))
        {
            throw CloudTrailErrors.InvalidTrailName.ToException(
                "Trail name must start with a letter or number, end with a letter or number, contain only ASCII letters, numbers, '.', '_' or '-', be 3 to 128 characters long, have no adjacent '.', '_' or '-', and not look like an IP address.");
        }
    }

    public static async Task<string?> ManagementAccountAsync(CloudTrailContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await context.Organizations.Settings.GetAsync(Organizations.OrganizationContext.ManagementAccountSetting, cancellationToken);
    }

    /// <summary>The key prefix under which a trail's files go: [prefix/]AWSLogs/[o-id/]account/.</summary>
    public static string LogRoot(TrailState trail, string account, string? organizationId) =>
        (trail.Prefix is { Length: > 0 } prefix ? prefix + "/" : "") + "AWSLogs/" + (trail.IsOrganization && organizationId is not null ? organizationId + "/" : "") + account + "/";

    /// <summary>
    /// CreateTrail's and UpdateTrail's check of the bucket (CloudTrail User Guide, "Amazon S3 bucket policy
    /// for CloudTrail"): the bucket exists, and its policy lets cloudtrail.amazonaws.com read its ACL and
    /// put objects under the trail's AWSLogs prefix with bucket-owner-full-control.
    /// </summary>
    public static async Task CheckBucketAsync(CloudTrailContext context, TrailState trail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trail);
        if (!BucketNames.IsValid(trail.Bucket))
        {
            throw CloudTrailErrors.InvalidS3BucketName.ToException($"Bucket name is not valid: {trail.Bucket}");
        }

        context.S3.Forget(trail.Bucket);
        var bucket = await context.S3.FindBucketAsync(trail.Bucket, cancellationToken)
            ?? throw CloudTrailErrors.S3BucketDoesNotExist.ToException($"S3 bucket {trail.Bucket} does not exist.");
        var organizationId = trail.IsOrganization ? (await context.Organizations.GetIdsAsync(cancellationToken)).OrganizationId : null;
        var key = LogRoot(trail, trail.AccountId, organizationId) + "CloudTrail/" + trail.HomeRegion + "/";
        if (!MayWrite(context, bucket, key + "check.json.gz", trail) || !Allows(context, bucket, "s3:GetBucketAcl", S3Arns.ForBucket(bucket.Name), trail))
        {
            throw CloudTrailErrors.InsufficientS3BucketPolicy.ToException($"Incorrect S3 bucket policy is detected for bucket: {trail.Bucket}");
        }
    }

    /// <summary>Whether the bucket's policy lets CloudTrail, for this trail, put this key.</summary>
    public static bool MayWrite(CloudTrailContext context, BucketState bucket, string key, TrailState trail) =>
        Allows(context, bucket, "s3:PutObject", S3Arns.ForObject(bucket.Name, key), trail);

    private static bool Allows(CloudTrailContext context, BucketState bucket, string action, string resource, TrailState trail) =>
        ServicePrincipalAccess.Allows(
            bucket.CompiledPolicy(context.S3), ServicePrincipal, action, resource, bucket.AccountId, trail.Arn, trail.AccountId, [new("s3:x-amz-acl", "bucket-owner-full-control")]);

    /// <summary>Tags as the model's TagsList; InvalidTagParameterException for a bad key or value.</summary>
    public static List<KeyValuePair<string, string?>> ReadTags(JsonArray? list, bool keysOnly = false)
    {
        var tags = new List<KeyValuePair<string, string?>>();
        foreach (var tag in list.Objects())
        {
            var key = tag.OptStr("Key") ?? "";
            var value = tag.OptStr("Value");
            if (key.Length is 0 or > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || (!keysOnly && value is { Length: > 256 }))
            {
                throw CloudTrailErrors.InvalidTagParameter.ToException($"Tag key or value is not valid: {key}");
            }

            tags.Add(new(key, value));
        }

        return tags;
    }

    public static JsonArray TagsShape(IEnumerable<KeyValuePair<string, string?>> tags) =>
        [.. tags.Select(t =>
        {
            var tag = new JsonObject { ["Key"] = t.Key };
            if (t.Value is not null)
            {
                tag["Value"] = t.Value;
            }

            return (JsonNode)tag;
        })];
}
