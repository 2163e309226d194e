using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>When one of a resource's calls fails, the calls already made for it are undone: nothing is half-applied.</summary>
public sealed class EstateRollbackTests : EstateServerTest
{
    private const string Estate = """
        accounts:
          main:
            management: true
            groups:
              ops: {}
            users:
              alice:
                tags: {team: web, floor: "2"}
                groups: []
            roles:
              deployer:
                description: Deploys the site
                tags: {owner: web}
                trustPolicy:
                  Version: "2012-10-17"
                  Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::${account.main.id}:root"}, Action: sts:AssumeRole}]
                policies: []
        """;

    private IamClient _iam = null!;
    private HttpClient _http = null!;

    protected override async Task SetUpAsync()
    {
        _http = new HttpClient();
        _iam = new IamClient(_http, new Uri(Server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        var apply = await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate));
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
    }

    protected override void TearDown()
    {
        _http.Dispose();
    }

    [Fact]
    public async Task Apply_RoleUpdateFailingPartWay_RestoresTrustDescriptionAndTags()
    {
        var broken = Harness.Write("broken.yaml", Estate
            .Replace("Deploys the site", "Deploys everything", StringComparison.Ordinal)
            .Replace("tags: {owner: web}", "tags: {owner: platform, cost: shared}", StringComparison.Ordinal)
            .Replace("Action: sts:AssumeRole}]", "Action: [sts:AssumeRole, sts:TagSession]}]", StringComparison.Ordinal)
            .Replace("policies: []", "policies: [\"arn:aws:iam::aws:policy/NoSuchPolicyAnywhere\"]", StringComparison.Ordinal));

        var (exit, _, error) = await Harness.ApplyAsync(broken);

        Assert.Equal(1, exit);
        Assert.Contains("role main/deployer: update failed: IAM AttachRolePolicy: NoSuchEntity", error, StringComparison.Ordinal);
        Assert.Contains("were undone", error, StringComparison.Ordinal);
        var plan = await Harness.PlanAsync(Harness.Write("estate.yaml", Estate));
        Assert.True(plan.Exit == 0, plan.Output);
        var role = await _iam.CallAsync("GetRole", [new("RoleName", "deployer")], CancellationToken.None);
        Assert.Equal("Deploys the site", IamClient.Descendant(role, "Description"));
    }

    [Fact]
    public async Task Apply_UserUpdateFailingPartWay_RestoresTagsAndMemberships()
    {
        var broken = Harness.Write("broken.yaml", Estate
            .Replace("tags: {team: web, floor: \"2\"}", "tags: {team: platform}", StringComparison.Ordinal)
            .Replace("groups: []", "groups: [ops, missing-group]", StringComparison.Ordinal)
            .Replace("groups:\n      ops: {}", "groups:\n      ops: {}\n      missing-group: {}", StringComparison.Ordinal));
        // The plan is made while both groups exist; one is then deleted behind apply's back, so the user's calls fail part-way.
        var withGroup = await Harness.ApplyAsync(Harness.Write("with-group.yaml", Estate.Replace("groups:\n      ops: {}", "groups:\n      ops: {}\n      missing-group: {}", StringComparison.Ordinal)));
        Assert.True(withGroup.Exit == 0, withGroup.Output + withGroup.Error);
        using var connection = new EstateConnection(Harness.Credentials, Server.Endpoint, "eu-west-2", TimeProvider.System);
        using var engine = new EstateEngine(EstateParser.ParseFile(broken), connection);
        var stale = await engine.PlanAsync(CancellationToken.None);
        await _iam.CallAsync("DeleteGroup", [new("GroupName", "missing-group")], CancellationToken.None);
        var userOnly = new EstatePlan([.. stale.Changes.Where(c => c.Resource.Kind == ResourceKind.User)], []);
        var failure = await Assert.ThrowsAsync<EstateException>(() => engine.ApplyAsync(userOnly, TextWriter.Null, CancellationToken.None));

        Assert.Contains("user main/alice: update failed: IAM AddUserToGroup: NoSuchEntity", failure.Message, StringComparison.Ordinal);
        Assert.Contains("were undone", failure.Message, StringComparison.Ordinal);
        var groups = await _iam.CallAsync("ListGroupsForUser", [new("UserName", "alice")], CancellationToken.None);
        Assert.DoesNotContain("<GroupName>ops</GroupName>", groups.ToString(), StringComparison.Ordinal);
        var tags = await _iam.CallAsync("ListUserTags", [new("UserName", "alice")], CancellationToken.None);
        Assert.Contains("floor", tags.ToString(), StringComparison.Ordinal);
        Assert.Contains("<Value>web</Value>", tags.ToString(), StringComparison.Ordinal);
    }
}
