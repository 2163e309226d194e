namespace Cloudkeep.Server.Tests.Iam;

/// <summary>A managed policy deleted and created again under the same ARN is enforced with its new document.</summary>
public sealed class ManagedPolicyCacheTests(FrozenClockFixture fixture) : IClassFixture<FrozenClockFixture>
{
    private const string AllowListUsers = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}""";
    private const string AllowListGroups = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListGroups","Resource":"*"}]}""";

    private readonly Cli _root = Cli.Root(fixture.Server);

    [Fact]
    public async Task ManagedPolicy_RecreatedInTheSameInstant_NewDocumentApplies()
    {
        fixture.Freeze();
        var user = await _root.CreateUserWithKeyAsync("recreated-policy-user");
        var arn = $"arn:aws:iam::{fixture.Server.AccountId}:policy/recreated";
        await _root.RunAsync("iam", "create-policy", "--policy-name", "recreated", "--policy-document", AllowListUsers);
        await _root.RunAsync("iam", "attach-user-policy", "--user-name", "recreated-policy-user", "--policy-arn", arn);
        await user.RunAsync("iam", "list-users");

        await _root.RunAsync("iam", "detach-user-policy", "--user-name", "recreated-policy-user", "--policy-arn", arn);
        await _root.RunAsync("iam", "delete-policy", "--policy-arn", arn);
        await _root.RunAsync("iam", "create-policy", "--policy-name", "recreated", "--policy-document", AllowListGroups);
        await _root.RunAsync("iam", "attach-user-policy", "--user-name", "recreated-policy-user", "--policy-arn", arn);

        await user.RunAsync("iam", "list-groups");
        Assert.Contains("AccessDenied", await user.FailAsync("iam", "list-users"), StringComparison.Ordinal);
    }
}
