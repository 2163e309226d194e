namespace Cloudkeep.Server.Tests.Route53;

/// <summary>
/// route53:* through the one policy engine: a policy scoped to one zone's ARN, and the
/// ChangeResourceRecordSets condition keys, as IAM users of the seed's estate would be given them.
/// </summary>
public sealed class Route53AuthorizationTests(Route53Fixture fixture) : IClassFixture<Route53Fixture>
{
    [Fact]
    public async Task ZoneScopedPolicy_AllowsItsZoneAndItsRecordTypes_DeniesTheRest()
    {
        var root = fixture.Root;
        var mine = await Route53Fixture.CreateZoneAsync(root, "mine.auth.test");
        var other = await Route53Fixture.CreateZoneAsync(root, "other.auth.test");
        var user = await root.CreateUserWithKeyAsync("txt-editor");
        var policy = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["route53:GetHostedZone","route53:ListResourceRecordSets"],"Resource":"arn:aws:route53:::hostedzone/ZONE"},
              {"Effect":"Allow","Action":"route53:ChangeResourceRecordSets","Resource":"arn:aws:route53:::hostedzone/ZONE",
               "Condition":{"ForAllValues:StringEquals":{"route53:ChangeResourceRecordSetsRecordTypes":["TXT"]},
                            "ForAllValues:StringLike":{"route53:ChangeResourceRecordSetsNormalizedRecordNames":["_acme-challenge.*"]}}}
            ]}
            """.Replace("ZONE", mine, StringComparison.Ordinal);
        await root.RunAsync("iam", "put-user-policy", "--user-name", "txt-editor", "--policy-name", "route53", "--policy-document", policy);

        await user.RunAsync("route53", "get-hosted-zone", "--id", mine);
        await Route53Fixture.ChangeAsync(user, mine, Route53Fixture.Batch("UPSERT", "_acme-challenge.mine.auth.test", "TXT", 60, "\"token\""));

        var otherZone = await user.FailAsync("route53", "get-hosted-zone", "--id", other);
        Assert.Contains("(AccessDenied)", otherZone, StringComparison.Ordinal);
        Assert.Contains("route53:GetHostedZone", otherZone, StringComparison.Ordinal);
        var wrongType = await user.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", mine, "--change-batch", Route53Fixture.Batch("UPSERT", "_acme-challenge.mine.auth.test", "A", 60, "192.0.2.1"));
        Assert.Contains("(AccessDenied)", wrongType, StringComparison.Ordinal);
        var wrongName = await user.FailAsync("route53", "change-resource-record-sets", "--hosted-zone-id", mine, "--change-batch", Route53Fixture.Batch("UPSERT", "www.mine.auth.test", "TXT", 60, "\"x\""));
        Assert.Contains("(AccessDenied)", wrongName, StringComparison.Ordinal);
        Assert.Contains("(AccessDenied)", await user.FailAsync("route53", "create-hosted-zone", "--name", "new.auth.test", "--caller-reference", "denied"), StringComparison.Ordinal);

        // Nothing the denied calls asked for was made.
        Assert.DoesNotContain(await Route53Fixture.RecordLinesAsync(root, mine), l => l.StartsWith("www.", StringComparison.Ordinal) || l.Contains(" A ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnotherAccountsZone_IsNoSuchHostedZone()
    {
        var root = fixture.Root;
        var zone = await Route53Fixture.CreateZoneAsync(root, "cross.auth.test");
        var member = (await root.RunAsync("organizations", "create-account", "--email", "auth-member@example.invalid", "--account-name", "auth-member"))
            .GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString()!;
        var admin = await root.CreateUserWithKeyAsync("auth-admin");
        await root.RunAsync("iam", "attach-user-policy", "--user-name", "auth-admin", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        var credentials = (await admin.RunAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", "--role-session-name", "auth"))
            .GetProperty("Credentials");
        var memberCli = new Cli(root.Endpoint, credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!, credentials.GetProperty("SessionToken").GetString());
        Assert.Contains("(NoSuchHostedZone)", await memberCli.FailAsync("route53", "get-hosted-zone", "--id", zone), StringComparison.Ordinal);
        Assert.DoesNotContain(
            (await memberCli.RunAsync("route53", "list-hosted-zones")).GetProperty("HostedZones").EnumerateArray(),
            z => z.GetProperty("Id").GetString() == "/hostedzone/" + zone);
    }
}
