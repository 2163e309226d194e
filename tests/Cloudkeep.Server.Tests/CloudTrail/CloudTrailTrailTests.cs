namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>Trails through the AWS CLI: create (with the bucket policy check), read, change, log, select, tag and delete.</summary>
public abstract class CloudTrailTrailTests(CloudTrailFixture fixture)
{
    private Cli Root => fixture.Root;

    [Fact]
    public async Task CreateTrail_BucketWithoutCloudTrailPolicy_InsufficientS3BucketPolicy()
    {
        await Root.RunAsync("s3api", "create-bucket", "--bucket", "trail-no-policy", "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        var error = await Root.FailAsync("cloudtrail", "create-trail", "--name", "no-policy", "--s3-bucket-name", "trail-no-policy");
        Assert.Contains("InsufficientS3BucketPolicyException", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTrail_PolicyForAnotherPrefix_InsufficientS3BucketPolicy()
    {
        await fixture.CreateTrailBucketAsync("trail-other-prefix");
        var error = await Root.FailAsync("cloudtrail", "create-trail", "--name", "other-prefix", "--s3-bucket-name", "trail-other-prefix", "--s3-key-prefix", "elsewhere");
        Assert.Contains("InsufficientS3BucketPolicyException", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrailLifecycle_CreateDescribeLogSelectTagDelete()
    {
        await fixture.CreateTrailBucketAsync("trail-lifecycle");
        var created = await Root.RunAsync("cloudtrail", "create-trail", "--name", "main", "--s3-bucket-name", "trail-lifecycle", "--is-multi-region-trail", "--enable-log-file-validation", "--tags-list", "Key=team,Value=cyber");
        var arn = $"arn:aws:cloudtrail:eu-west-1:{fixture.Server.AccountId}:trail/main";
        Assert.Equal(arn, created.GetProperty("TrailARN").GetString());
        Assert.True(created.GetProperty("LogFileValidationEnabled").GetBoolean());
        Assert.True(created.GetProperty("IsMultiRegionTrail").GetBoolean());

        var again = await Root.FailAsync("cloudtrail", "create-trail", "--name", "main", "--s3-bucket-name", "trail-lifecycle");
        Assert.Contains("TrailAlreadyExistsException", again, StringComparison.Ordinal);

        var trail = (await Root.RunAsync("cloudtrail", "get-trail", "--name", "main")).GetProperty("Trail");
        Assert.Equal("eu-west-1", trail.GetProperty("HomeRegion").GetString());
        Assert.False(trail.GetProperty("HasCustomEventSelectors").GetBoolean());

        // A multi-region trail's shadow: seen from another region, changed only from its home.
        var shadow = await Root.RunAsync("cloudtrail", "describe-trails", "--region", "us-east-1");
        Assert.Contains(shadow.GetProperty("trailList").EnumerateArray(), t => t.GetProperty("TrailARN").GetString() == arn);
        var own = await Root.RunAsync("cloudtrail", "describe-trails", "--region", "us-east-1", "--no-include-shadow-trails");
        Assert.DoesNotContain(own.GetProperty("trailList").EnumerateArray(), t => t.GetProperty("TrailARN").GetString() == arn);
        var elsewhere = await Root.FailAsync("cloudtrail", "stop-logging", "--name", arn, "--region", "us-east-1");
        Assert.Contains("InvalidHomeRegionException", elsewhere, StringComparison.Ordinal);

        Assert.Contains((await Root.RunAsync("cloudtrail", "list-trails")).GetProperty("Trails").EnumerateArray(), t => t.GetProperty("Name").GetString() == "main");

        Assert.False((await Root.RunAsync("cloudtrail", "get-trail-status", "--name", "main")).GetProperty("IsLogging").GetBoolean());
        await Root.RunAsync("cloudtrail", "start-logging", "--name", "main");
        var status = await Root.RunAsync("cloudtrail", "get-trail-status", "--name", arn);
        Assert.True(status.GetProperty("IsLogging").GetBoolean());
        Assert.True(status.TryGetProperty("StartLoggingTime", out _));
        await Root.RunAsync("cloudtrail", "stop-logging", "--name", "main");
        Assert.False((await Root.RunAsync("cloudtrail", "get-trail-status", "--name", "main")).GetProperty("IsLogging").GetBoolean());

        var selectors = """[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::trail-lifecycle/"]}]}]""";
        await Root.RunAsync("cloudtrail", "put-event-selectors", "--trail-name", "main", "--event-selectors", selectors);
        var got = await Root.RunAsync("cloudtrail", "get-event-selectors", "--trail-name", "main");
        var selector = got.GetProperty("EventSelectors")[0];
        Assert.Equal("WriteOnly", selector.GetProperty("ReadWriteType").GetString());
        Assert.Equal("arn:aws:s3:::trail-lifecycle/", selector.GetProperty("DataResources")[0].GetProperty("Values")[0].GetString());
        Assert.True((await Root.RunAsync("cloudtrail", "get-trail", "--name", "main")).GetProperty("Trail").GetProperty("HasCustomEventSelectors").GetBoolean());

        await Root.RunAsync("cloudtrail", "add-tags", "--resource-id", arn, "--tags-list", "Key=owner,Value=ops");
        await Root.RunAsync("cloudtrail", "remove-tags", "--resource-id", arn, "--tags-list", "Key=team");
        var tags = (await Root.RunAsync("cloudtrail", "list-tags", "--resource-id-list", arn)).GetProperty("ResourceTagList")[0].GetProperty("TagsList");
        Assert.Equal(["owner=ops"], tags.EnumerateArray().Select(t => t.GetProperty("Key").GetString() + "=" + t.GetProperty("Value").GetString()));

        var updated = await Root.RunAsync("cloudtrail", "update-trail", "--name", "main", "--no-enable-log-file-validation");
        Assert.False(updated.GetProperty("LogFileValidationEnabled").GetBoolean());

        await Root.RunAsync("cloudtrail", "delete-trail", "--name", "main");
        var gone = await Root.FailAsync("cloudtrail", "get-trail", "--name", "main");
        Assert.Contains("TrailNotFoundException", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrailOperations_UserWithoutPolicy_AccessDeniedNamingTheAction()
    {
        var user = await Root.CreateUserWithKeyAsync("trail-nobody");
        var error = await user.FailAsync("cloudtrail", "describe-trails");
        Assert.Contains("cloudtrail:DescribeTrails", error, StringComparison.Ordinal);
        var lookup = await user.FailAsync("cloudtrail", "lookup-events");
        Assert.Contains("cloudtrail:LookupEvents", lookup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedOperation_AnswersNotImplemented()
    {
        var error = await Root.FailAsync("cloudtrail", "list-event-data-stores");
        Assert.Contains("NotImplemented", error, StringComparison.Ordinal);
    }
}

public sealed class CloudTrailTrailTestsOnSqlite(CloudTrailFixture fixture) : CloudTrailTrailTests(fixture), IClassFixture<CloudTrailFixture>;

public sealed class CloudTrailTrailTestsOnPostgres(CloudTrailFixtureOnPostgres fixture) : CloudTrailTrailTests(fixture), IClassFixture<CloudTrailFixtureOnPostgres>;
