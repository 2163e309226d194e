using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>The record step through the AWS CLI: every call, denied and failed ones too, becomes an event LookupEvents lists.</summary>
public abstract class CloudTrailEventTests(CloudTrailFixture fixture)
{
    private Cli Root => fixture.Root;

    [Fact]
    public async Task CreateUser_ByRoot_RecordedInUsEast1WithRootIdentity()
    {
        await Root.RunAsync("iam", "create-user", "--user-name", "trail-recorded");
        var record = await CloudTrailFixture.WaitForEventAsync(Root, "us-east-1", "ResourceName", "trail-recorded", r => r.GetProperty("eventName").GetString() == "CreateUser");
        Assert.Equal("1.09", record.GetProperty("eventVersion").GetString());
        Assert.Equal("iam.amazonaws.com", record.GetProperty("eventSource").GetString());
        Assert.Equal("us-east-1", record.GetProperty("awsRegion").GetString());
        var identity = record.GetProperty("userIdentity");
        Assert.Equal("Root", identity.GetProperty("type").GetString());
        Assert.Equal($"arn:aws:iam::{fixture.Server.AccountId}:root", identity.GetProperty("arn").GetString());
        Assert.Equal(TestServer.RootAccessKeyId, identity.GetProperty("accessKeyId").GetString());
        Assert.Equal("trail-recorded", record.GetProperty("requestParameters").GetProperty("userName").GetString());
        Assert.Equal("trail-recorded", record.GetProperty("responseElements").GetProperty("user").GetProperty("userName").GetString());
        Assert.False(record.GetProperty("readOnly").GetBoolean());
        Assert.Equal("AwsApiCall", record.GetProperty("eventType").GetString());
        Assert.True(record.GetProperty("managementEvent").GetBoolean());
        Assert.Equal("Management", record.GetProperty("eventCategory").GetString());
        Assert.Equal(fixture.Server.AccountId, record.GetProperty("recipientAccountId").GetString());
        Assert.Equal(JsonValueKind.String, record.GetProperty("requestID").ValueKind);
        Assert.True(Guid.TryParse(record.GetProperty("eventID").GetString(), out _));
    }

    [Fact]
    public async Task ReadOnlyCall_RecordedWithoutResponseElements_ButAnIssuedSessionKeepsItsOwn()
    {
        await Root.RunAsync("iam", "create-user", "--user-name", "trail-read");
        await Root.RunAsync("iam", "get-user", "--user-name", "trail-read");
        var read = await CloudTrailFixture.WaitForEventAsync(Root, "us-east-1", "ResourceName", "trail-read", r => r.GetProperty("eventName").GetString() == "GetUser");
        Assert.True(read.GetProperty("readOnly").GetBoolean());
        Assert.Equal("trail-read", read.GetProperty("requestParameters").GetProperty("userName").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("responseElements").ValueKind);

        // The CLI signs for its region (eu-west-1) at the endpoint given: a regional STS endpoint's event is in that region.
        var session = await Root.RunAsync("sts", "get-session-token");
        var issued = await CloudTrailFixture.WaitForEventAsync(Root, "eu-west-1", "EventName", "GetSessionToken", _ => true);
        Assert.True(issued.GetProperty("readOnly").GetBoolean());
        Assert.Equal(
            session.GetProperty("Credentials").GetProperty("AccessKeyId").GetString(),
            issued.GetProperty("responseElements").GetProperty("credentials").GetProperty("accessKeyId").GetString());
    }

    [Fact]
    public async Task DeniedRequest_Recorded_WithItsErrorCodeAndTheUser()
    {
        var user = await Root.CreateUserWithKeyAsync("trail-denied");
        var error = await user.FailAsync("iam", "list-roles");
        Assert.Contains("AccessDenied", error, StringComparison.Ordinal);
        var record = await CloudTrailFixture.WaitForEventAsync(Root, "us-east-1", "Username", "trail-denied", r => r.GetProperty("eventName").GetString() == "ListRoles");
        Assert.Equal("AccessDenied", record.GetProperty("errorCode").GetString());
        Assert.Contains("iam:ListRoles", record.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal("IAMUser", record.GetProperty("userIdentity").GetProperty("type").GetString());
        Assert.Equal("trail-denied", record.GetProperty("userIdentity").GetProperty("userName").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("responseElements").ValueKind);
    }

    [Fact]
    public async Task BadSignature_Recorded_ForTheKeysAccountAsUnknownIdentity()
    {
        var user = await Root.CreateUserWithKeyAsync("trail-badsig");
        var forged = user with { SecretAccessKey = "not-the-secret-of-this-key-0000000000000" };
        var error = await forged.FailAsync("sts", "get-caller-identity");
        Assert.Contains("SignatureDoesNotMatch", error, StringComparison.Ordinal);
        var record = await CloudTrailFixture.WaitForEventAsync(Root, "eu-west-1", "AccessKeyId", user.AccessKeyId, r => r.TryGetProperty("errorCode", out _));
        Assert.Equal("SignatureDoesNotMatch", record.GetProperty("errorCode").GetString());
        Assert.Equal("Unknown", record.GetProperty("userIdentity").GetProperty("type").GetString());
        Assert.Equal("GetCallerIdentity", record.GetProperty("eventName").GetString());
    }

    [Fact]
    public async Task AssumedRoleCall_Recorded_WithSessionContext()
    {
        var user = await Root.CreateUserWithKeyAsync("trail-assumer");
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{fixture.Server.AccountId}}:user/trail-assumer"},"Action":"sts:AssumeRole"}]}""";
        await Root.RunAsync("iam", "create-role", "--role-name", "trail-role", "--assume-role-policy-document", trust);
        await Root.RunAsync("iam", "put-user-policy", "--user-name", "trail-assumer", "--policy-name", "assume", "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        var credentials = (await user.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{fixture.Server.AccountId}:role/trail-role", "--role-session-name", "trail-session")).GetProperty("Credentials");
        var session = new Cli(fixture.Server.Endpoint, credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!, credentials.GetProperty("SessionToken").GetString());
        await session.RunAsync("sts", "get-caller-identity");
        var record = await CloudTrailFixture.WaitForEventAsync(Root, "eu-west-1", "Username", "trail-session", r => r.GetProperty("eventName").GetString() == "GetCallerIdentity");
        var identity = record.GetProperty("userIdentity");
        Assert.Equal("AssumedRole", identity.GetProperty("type").GetString());
        Assert.Equal(credentials.GetProperty("AccessKeyId").GetString(), identity.GetProperty("accessKeyId").GetString());
        var context = identity.GetProperty("sessionContext");
        Assert.Equal("Role", context.GetProperty("sessionIssuer").GetProperty("type").GetString());
        Assert.Equal("trail-role", context.GetProperty("sessionIssuer").GetProperty("userName").GetString());
        Assert.Equal("false", context.GetProperty("attributes").GetProperty("mfaAuthenticated").GetString());
        Assert.True(record.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task S3ObjectWrite_IsADataEvent_RecordedOnlyWhenATrailSelectsIt_NeverListed()
    {
        await Root.RunAsync("s3api", "create-bucket", "--bucket", "trail-data-events", "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        await Root.RunAsync("s3api", "put-object", "--bucket", "trail-data-events", "--key", "unselected");
        await Root.RunAsync("s3api", "get-bucket-versioning", "--bucket", "trail-data-events");
        await CloudTrailFixture.WaitForEventAsync(Root, "eu-west-1", "ResourceName", "trail-data-events", r => r.GetProperty("eventName").GetString() == "GetBucketVersioning");
        Assert.DoesNotContain(fixture.AllRecords(), r => r.Contains("\"unselected\"", StringComparison.Ordinal));

        // A logging trail selecting the bucket's object events: now they are recorded, as data events.
        await fixture.CreateTrailBucketAsync("trail-data-target");
        await Root.RunAsync("cloudtrail", "create-trail", "--name", "data-events", "--s3-bucket-name", "trail-data-target");
        await Root.RunAsync("cloudtrail", "put-event-selectors", "--trail-name", "data-events", "--event-selectors", """[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::trail-data-events/"]}]}]""");
        await Root.RunAsync("cloudtrail", "start-logging", "--name", "data-events");
        await Root.RunAsync("s3api", "put-object", "--bucket", "trail-data-events", "--key", "selected");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!fixture.AllRecords().Any(r => r.Contains("\"selected\"", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the selected data event was not recorded within 20 seconds");
            await Task.Delay(250);
        }

        var record = JsonDocument.Parse(fixture.AllRecords().First(r => r.Contains("\"selected\"", StringComparison.Ordinal))).RootElement;
        Assert.Equal("PutObject", record.GetProperty("eventName").GetString());
        Assert.Equal("Data", record.GetProperty("eventCategory").GetString());
        Assert.False(record.GetProperty("managementEvent").GetBoolean());
        var listed = await Root.RunAsync("cloudtrail", "lookup-events", "--region", "eu-west-1", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=PutObject");
        Assert.Empty(listed.GetProperty("Events").EnumerateArray());
        await Root.RunAsync("cloudtrail", "stop-logging", "--name", "data-events");
    }

    [Fact]
    public async Task LookupEvents_Pages_WithMaxResultsAndNextToken()
    {
        for (var i = 0; i < 3; i++)
        {
            await Root.RunAsync("iam", "get-account-summary");
        }

        await CloudTrailFixture.WaitForEventAsync(Root, "us-east-1", "EventName", "GetAccountSummary");
        await Task.Delay(1500);

        // Pages of two (MaxResults=2) followed by the server's NextToken until three events are in hand.
        var listed = await Root.RunAsync("cloudtrail", "lookup-events", "--region", "us-east-1", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=GetAccountSummary", "--page-size", "2", "--max-items", "3");
        var ids = listed.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("EventId").GetString()).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(3, ids.Distinct().Count());
    }

    [Fact]
    public async Task LookupEvents_EveryAttributeKey_Accepted()
    {
        foreach (var key in new[] { "EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId" })
        {
            var value = key == "ReadOnly" ? "true" : "x";
            await Root.RunAsync("cloudtrail", "lookup-events", "--region", "us-east-1", "--lookup-attributes", $"AttributeKey={key},AttributeValue={value}");
        }
    }
}

public sealed class CloudTrailEventTestsOnSqlite(CloudTrailFixture fixture) : CloudTrailEventTests(fixture), IClassFixture<CloudTrailFixture>;

public sealed class CloudTrailEventTestsOnPostgres(CloudTrailFixtureOnPostgres fixture) : CloudTrailEventTests(fixture), IClassFixture<CloudTrailFixtureOnPostgres>;
