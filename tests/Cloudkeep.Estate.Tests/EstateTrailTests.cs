using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// CloudTrail trails as code: a multi-region trail with log file validation in the management account
/// and one in a member account, each writing to a bucket of its own account whose policy lets
/// CloudTrail write (created first: CreateTrail checks it); plan, apply, a second plan with nothing to
/// do, logging stopped and validation turned off, a trail deleted, and export read back.
/// </summary>
public sealed class EstateTrailTests : EstateServerTest
{
    protected override bool AsAdministrator => true;

    [Fact]
    public async Task Apply_TrailsAfterTheirBuckets_LoggingWithValidation_ThenPlansNothing()
    {
        var file = Harness.Write("estate.yaml", Estate());
        var plan = await Harness.PlanAsync(file);
        Assert.True(plan.Exit == 2, plan.Output + plan.Error);
        Assert.Contains("+ trail main/audit", plan.Output, StringComparison.Ordinal);
        Assert.Contains("+ trail development/audit", plan.Output, StringComparison.Ordinal);

        var apply = await Harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.True(
            apply.Output.IndexOf("creating bucket main/dm-trail-main", StringComparison.Ordinal) < apply.Output.IndexOf("creating trail main/audit", StringComparison.Ordinal),
            apply.Output);
        var again = await Harness.PlanAsync(file);
        Assert.True(again.Exit == 0, again.Output + again.Error);

        using var connection = new EstateConnection(Harness.Credentials, Server.Endpoint, "eu-west-2", TimeProvider.System);
        var (trail, logging) = await TrailAsync(connection, "eu-west-1", "audit");
        Assert.Equal(("dm-trail-main", true, true, "eu-west-1"), (trail["S3BucketName"]!.GetValue<string>(), trail["IsMultiRegionTrail"]!.GetValue<bool>(), trail["LogFileValidationEnabled"]!.GetValue<bool>(), trail["HomeRegion"]!.GetValue<string>()));
        Assert.True(logging);

        // The member's trail is the member's own, in the command's region (the file leaves region out).
        using var http = new HttpClient();
        var organizations = new OrganizationsClient(http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);
        var developmentId = (await organizations.ListAccountsAsync(CancellationToken.None)).Single(a => a["Name"]!.GetValue<string>() == "development")["Id"]!.GetValue<string>();
        using var inside = await connection.ForAccountAsync(developmentId, CancellationToken.None);
        var (memberTrail, memberLogging) = await TrailAsync(inside, "eu-west-2", "audit");
        Assert.Equal($"arn:aws:cloudtrail:eu-west-2:{developmentId}:trail/audit", memberTrail["TrailARN"]!.GetValue<string>());
        Assert.True(memberLogging);
    }

    [Fact]
    public async Task Apply_StoppedAndUnvalidated_ThenDeleted_ThenExportRoundTrips()
    {
        var file = Harness.Write("estate.yaml", Estate());
        Assert.Equal(0, (await Harness.ApplyAsync(file)).Exit);

        var changed = Harness.Write("estate.yaml", Estate(mainLogging: false, mainValidation: false));
        var plan = await Harness.PlanAsync(changed);
        Assert.True(plan.Exit == 2, plan.Output + plan.Error);
        Assert.Contains("~ trail main/audit", plan.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 1 to update, 0 to delete.", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyAsync(changed);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await Harness.PlanAsync(changed)).Exit);
        using var connection = new EstateConnection(Harness.Credentials, Server.Endpoint, "eu-west-2", TimeProvider.System);
        var (trail, logging) = await TrailAsync(connection, "eu-west-1", "audit");
        Assert.False(logging);
        Assert.False(trail["LogFileValidationEnabled"]!.GetValue<bool>());

        // The member's trail left out of the file: deleted (with --allow-delete), its bucket kept.
        var without = Harness.Write("estate.yaml", Estate(mainLogging: false, mainValidation: false, memberTrail: false));
        var deleting = await Harness.PlanAsync(without);
        Assert.Contains("- trail development/audit", deleting.Output, StringComparison.Ordinal);
        var deleted = await Harness.ApplyDeletingAsync(without);
        Assert.True(deleted.Exit == 0, deleted.Output + deleted.Error);
        Assert.Equal(0, (await Harness.PlanAsync(without)).Exit);

        var export = await Harness.ExportAsync();
        Assert.True(export.Exit == 0, export.Output + export.Error);
        Assert.Contains("trails:", export.Output, StringComparison.Ordinal);
        Assert.Contains("bucket: dm-trail-main", export.Output, StringComparison.Ordinal);
        Assert.Contains("logFileValidation: false", export.Output, StringComparison.Ordinal);
        var exported = Harness.Write("exported.yaml", export.Output);
        var replan = await Harness.PlanAsync(exported);
        Assert.True(replan.Exit == 0, replan.Output + replan.Error);
    }

    [Fact]
    public async Task Apply_BucketPolicyWithoutCloudTrail_FailsWithCloudTrailsError()
    {
        var file = Harness.Write("estate.yaml", """
            accounts:
              main:
                management: true
                buckets:
                  dm-trail-closed: {region: eu-west-1}
                trails:
                  audit: {bucket: dm-trail-closed, multiRegion: true}
            """);

        var apply = await Harness.ApplyAsync(file);

        Assert.NotEqual(0, apply.Exit);
        Assert.Contains("InsufficientS3BucketPolicyException", apply.Output + apply.Error, StringComparison.Ordinal);
    }

    private static async Task<(JsonObject Trail, bool Logging)> TrailAsync(EstateConnection connection, string region, string name)
    {
        var cloudTrail = connection.CloudTrail(region);
        var trail = (await cloudTrail.CallAsync("GetTrail", region, new JsonObject { ["Name"] = name }, CancellationToken.None))["Trail"]!.AsObject();
        var status = await cloudTrail.CallAsync("GetTrailStatus", region, new JsonObject { ["Name"] = name }, CancellationToken.None);
        return (trail, status["IsLogging"]!.GetValue<bool>());
    }

    private static string Estate(bool mainLogging = true, bool mainValidation = true, bool memberTrail = true) => $$"""
        accounts:
          main:
            management: true
            buckets:
        {{Bucket("main", "eu-west-1")}}
            trails:
              audit:
                bucket: dm-trail-main
                region: eu-west-1
                multiRegion: true
                logFileValidation: {{Flag(mainValidation)}}
                logging: {{Flag(mainLogging)}}
          development:
            email: development@example.com
            buckets:
        {{Bucket("development", "eu-west-2")}}
        {{(memberTrail ? MemberTrail : "")}}
        """;

    private const string MemberTrail = """
            trails:
              audit: {bucket: dm-trail-development, multiRegion: true, logFileValidation: true, logging: true}
        """;

    private static string Flag(bool value) => value ? "true" : "false";

    /// <summary>A bucket CloudTrail may write to (CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail").</summary>
    private static string Bucket(string account, string region) => $$"""
              dm-trail-{{account}}:
                region: {{region}}
                policy:
                  Version: "2012-10-17"
                  Statement:
                    - Sid: CloudTrailAclCheck
                      Effect: Allow
                      Principal: {Service: cloudtrail.amazonaws.com}
                      Action: s3:GetBucketAcl
                      Resource: "${bucket.{{account}}.dm-trail-{{account}}.arn}"
                    - Sid: CloudTrailWrite
                      Effect: Allow
                      Principal: {Service: cloudtrail.amazonaws.com}
                      Action: s3:PutObject
                      Resource: "${bucket.{{account}}.dm-trail-{{account}}.arn}/AWSLogs/${account.{{account}}.id}/*"
                      Condition:
                        StringEquals: {"s3:x-amz-acl": bucket-owner-full-control}
        """;
}
