namespace Cloudkeep.Server.Tests.Sns;

/// <summary>Who may publish: identity policies in the topic's account, the topic policy for other accounts, and SNS's AuthorizationError for a refusal.</summary>
public sealed class SnsAuthorizationTests(SnsFixture fixture) : IClassFixture<SnsFixture>
{
    [Fact]
    public async Task UserWithoutPolicy_IsRefusedWithAuthorizationError_ThenAllowedByAnIdentityPolicy()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "guarded");
        var user = await fixture.Root.CreateUserWithKeyAsync("sns-publisher");

        var refused = await user.FailAsync("sns", "publish", "--topic-arn", topic, "--message", "m");
        Assert.Contains("(AuthorizationError)", refused, StringComparison.Ordinal);

        await fixture.Root.RunAsync("iam", "put-user-policy", "--user-name", "sns-publisher", "--policy-name", "publish",
            "--policy-document", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"{{topic}}"}]}""");
        await RetryAsync(() => user.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "m"));
        Assert.Contains("(AuthorizationError)", await user.FailAsync("sns", "delete-topic", "--topic-arn", topic), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherAccount_PublishesOnlyWhenTheTopicPolicyLetsIt()
    {
        var topic = await SnsFixture.CreateTopicAsync(fixture.Root, "shared");
        var member = await MemberAccounts.CreateAsync(fixture.Root, "sns-member");
        var memberRoot = member.Admin;

        Assert.Contains("(AuthorizationError)", await memberRoot.FailAsync("sns", "publish", "--topic-arn", topic, "--message", "m"), StringComparison.Ordinal);

        await fixture.Root.RunAsync("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "Policy", "--attribute-value",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{member.AccountId}}:root"},"Action":"sns:Publish","Resource":"{{topic}}"}]}""");
        await RetryAsync(() => memberRoot.RunAsync("sns", "publish", "--topic-arn", topic, "--message", "m"));
        Assert.Contains("(AuthorizationError)", await memberRoot.FailAsync("sns", "get-topic-attributes", "--topic-arn", topic), StringComparison.Ordinal);
    }

    private static async Task RetryAsync(Func<Task> action)
    {
        // Policies are cached for a few seconds per node; the change is visible well within this.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }
}
