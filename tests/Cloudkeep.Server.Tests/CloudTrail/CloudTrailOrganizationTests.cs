using System.Text.Json;

namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>Organization trails and cross-account events, with a member account made through Organizations.</summary>
public sealed class CloudTrailOrganizationTests(CloudTrailFixture fixture) : IClassFixture<CloudTrailFixture>
{
    [Fact]
    public async Task OrganizationTrail_SeenByMember_ChangedOnlyByManagement()
    {
        var root = fixture.Root;
        var (member, admin) = await MemberAccounts.CreateAsync(root, "trail-member");
        var bucket = "trail-org";
        await root.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        var policy = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new object[]
            {
                new { Effect = "Allow", Principal = new { Service = "cloudtrail.amazonaws.com" }, Action = "s3:GetBucketAcl", Resource = $"arn:aws:s3:::{bucket}" },
                new { Effect = "Allow", Principal = new { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject", Resource = $"arn:aws:s3:::{bucket}/AWSLogs/*" },
            },
        });
        await root.RunAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policy);
        var created = await root.RunAsync("cloudtrail", "create-trail", "--name", "org", "--s3-bucket-name", bucket, "--is-organization-trail", "--is-multi-region-trail");
        Assert.True(created.GetProperty("IsOrganizationTrail").GetBoolean());
        var arn = created.GetProperty("TrailARN").GetString()!;

        var seen = await admin.RunAsync("cloudtrail", "describe-trails");
        Assert.Contains(seen.GetProperty("trailList").EnumerateArray(), t => t.GetProperty("TrailARN").GetString() == arn);
        var refused = await admin.FailAsync("cloudtrail", "stop-logging", "--name", arn);
        Assert.Contains("NotOrganizationMasterAccountException", refused, StringComparison.Ordinal);
        var notManagement = await admin.FailAsync("cloudtrail", "create-trail", "--name", "member-org", "--s3-bucket-name", bucket, "--is-organization-trail");
        Assert.Contains("NotOrganizationMasterAccountException", notManagement, StringComparison.Ordinal);

        // The member's own calls are in its own event history, not the management account's.
        await admin.RunAsync("iam", "create-user", "--user-name", "member-recorded");
        var record = await CloudTrailFixture.WaitForEventAsync(admin, "us-east-1", "ResourceName", "member-recorded");
        Assert.Equal(member, record.GetProperty("recipientAccountId").GetString());
        Assert.Equal("AssumedRole", record.GetProperty("userIdentity").GetProperty("type").GetString());
    }
}
