using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>Member accounts: created through Organizations, filled through OrganizationAccountAccessRole.</summary>
public sealed class EstateMemberAccountTests : EstateServerTest
{
    private const string Estate = """
        accounts:
          main:
            management: true
            roles:
              deployer:
                trustPolicy:
                  Version: "2012-10-17"
                  Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::${account.main.id}:root"}, Action: "sts:AssumeRole"}]
                inlinePolicies:
                  reach-production:
                    Version: "2012-10-17"
                    Statement: [{Effect: Allow, Action: "sts:AssumeRole", Resource: "${role.production.infrastructure.arn}"}]
          production:
            email: production@example.com
            alias: example-production
            roles:
              infrastructure:
                maxSessionDuration: 7200
                trustPolicy:
                  Version: "2012-10-17"
                  Statement: [{Effect: Allow, Principal: {AWS: "${role.main.deployer.arn}"}, Action: "sts:AssumeRole"}]
                policies: ["arn:aws:iam::aws:policy/AdministratorAccess"]
            keys:
              production-data:
                description: Production data
            buckets:
              example-production-data:
                region: eu-west-2
                tags: {account: "${account.production.id}"}
        """;

    protected override bool AsAdministrator => true;

    [Fact]
    public async Task Plan_MissingMemberAccount_PlansItAndEverythingInIt()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var (exit, output, error) = await Harness.PlanAsync(file);

        Assert.True(exit == 2, output + error);
        Assert.Contains("+ account production\n    email: production@example.com", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("+ role production/infrastructure", output, StringComparison.Ordinal);
        Assert.Contains("    tags: (known after apply)", output, StringComparison.Ordinal);
        Assert.Contains("Plan: 7 to create, 0 to update, 0 to delete.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_MemberAccount_CreatesItAndItsResourcesThenIsANoOp()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var first = await Harness.ApplyAsync(file);
        Assert.True(first.Exit == 0, first.Output + first.Error);
        Assert.Contains("creating account production ... done", first.Output, StringComparison.Ordinal);
        var again = await Harness.PlanAsync(file);
        Assert.True(again.Exit == 0, again.Output + again.Error);

        // The role lives in the new account and trusts the management account's deployer.
        var administrator = Harness.Credentials;
        using var http = new HttpClient();
        var accounts = await new OrganizationsClient(http, new Uri(Server.Endpoint), administrator, TimeProvider.System).ListAccountsAsync(CancellationToken.None);
        var productionId = accounts.Single(a => a["Name"]!.GetValue<string>() == "production")["Id"]!.GetValue<string>();
        var deployer = await Sts(administrator).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Server.AccountId}:role/deployer", RoleSessionName = "test" });
        var c = deployer.Credentials;
        var infrastructure = await Sts(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken))
            .AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{productionId}:role/infrastructure", RoleSessionName = "test" });
        Assert.Equal($"arn:aws:sts::{productionId}:assumed-role/infrastructure/test", infrastructure.AssumedRoleUser.Arn);
    }

    private AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = "eu-west-2" });
}
