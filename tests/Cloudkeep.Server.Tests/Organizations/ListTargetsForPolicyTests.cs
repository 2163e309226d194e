namespace Cloudkeep.Server.Tests.Organizations;

/// <summary>organizations:ListTargetsForPolicy through the AWS CLI.</summary>
public abstract class ListTargetsForPolicyTests(ScpEstate estate)
{
    [Fact]
    public async Task ListTargetsForPolicy_FullAwsAccess_ListsTheRootAndEveryMemberAccount()
    {
        var targets = (await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", "p-FullAWSAccess")).GetProperty("Targets").EnumerateArray().ToList();

        var root = Assert.Single(targets, t => t.GetProperty("Type").GetString() == "ROOT");
        Assert.Equal(estate.RootId, root.GetProperty("TargetId").GetString());
        Assert.Equal("Root", root.GetProperty("Name").GetString());
        Assert.Matches($"^arn:aws:organizations::{estate.Server.AccountId}:root/o-[a-z0-9]{{10}}/{estate.RootId}$", root.GetProperty("Arn").GetString()!);
        foreach (var name in new[] { "audited", "sandbox" })
        {
            var account = Assert.Single(targets, t => t.GetProperty("TargetId").GetString() == estate.Accounts[name]);
            Assert.Equal("ACCOUNT", account.GetProperty("Type").GetString());
            Assert.Equal(name, account.GetProperty("Name").GetString());
            Assert.Matches($"^arn:aws:organizations::{estate.Server.AccountId}:account/o-[a-z0-9]{{10}}/{estate.Accounts[name]}$", account.GetProperty("Arn").GetString()!);
        }

        Assert.Equal(3, targets.Count);
    }

    [Fact]
    public async Task ListTargetsForPolicy_FollowsAttachAndDetach()
    {
        var policyId = await estate.CreateScpAsync("targets-follow", ScpEstate.Deny("iam:CreateGroup"));
        Assert.Equal(0, (await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", policyId)).GetProperty("Targets").GetArrayLength());

        await estate.Root.RunAsync("organizations", "attach-policy", "--policy-id", policyId, "--target-id", estate.Accounts["sandbox"]);
        await estate.Root.RunAsync("organizations", "attach-policy", "--policy-id", policyId, "--target-id", estate.RootId);
        var attached = (await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", policyId)).GetProperty("Targets");
        Assert.Equal([estate.Accounts["sandbox"], estate.RootId], attached.EnumerateArray().Select(t => t.GetProperty("TargetId").GetString()!).ToArray());

        await estate.Root.RunAsync("organizations", "detach-policy", "--policy-id", policyId, "--target-id", estate.Accounts["sandbox"]);
        await estate.Root.RunAsync("organizations", "detach-policy", "--policy-id", policyId, "--target-id", estate.RootId);
        Assert.Equal(0, (await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", policyId)).GetProperty("Targets").GetArrayLength());
    }

    [Fact]
    public async Task ListTargetsForPolicy_PageSizeOne_WalksEveryTargetOnceInOrder()
    {
        var all = (await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", "p-FullAWSAccess")).GetProperty("Targets")
            .EnumerateArray().Select(t => t.GetProperty("TargetId").GetString()!).ToArray();

        // The CLI sends MaxResults=1 and follows each NextToken to the end.
        var paged = (await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", "p-FullAWSAccess", "--page-size", "1")).GetProperty("Targets")
            .EnumerateArray().Select(t => t.GetProperty("TargetId").GetString()!).ToArray();
        Assert.Equal(all, paged);

        var first = await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", "p-FullAWSAccess", "--max-items", "1");
        Assert.Equal(all[..1], first.GetProperty("Targets").EnumerateArray().Select(t => t.GetProperty("TargetId").GetString()!).ToArray());
        var rest = await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", "p-FullAWSAccess", "--starting-token", first.GetProperty("NextToken").GetString()!);
        Assert.Equal(all[1..], rest.GetProperty("Targets").EnumerateArray().Select(t => t.GetProperty("TargetId").GetString()!).ToArray());
    }

    [Fact]
    public async Task ListTargetsForPolicy_BadInput_AnswersAwsErrors()
    {
        Assert.Contains("(PolicyNotFoundException)", await estate.Root.FailAsync("organizations", "list-targets-for-policy", "--policy-id", "p-doesnotexist"), StringComparison.Ordinal);
        Assert.Contains("(InvalidInputException)", await estate.Root.FailAsync("organizations", "list-targets-for-policy", "--policy-id", "FullAWSAccess"), StringComparison.Ordinal);
        Assert.Contains("(InvalidInputException)", await estate.Root.FailAsync("organizations", "list-targets-for-policy", "--policy-id", "p-FullAWSAccess", "--cli-input-json", """{"NextToken":"not-a-token"}"""), StringComparison.Ordinal);
        Assert.Contains("(InvalidInputException)", await estate.Root.FailAsync("organizations", "list-targets-for-policy", "--policy-id", "p-FullAWSAccess", "--page-size", "21"), StringComparison.Ordinal);
        var member = await estate.InMemberAsync("sandbox");
        Assert.Contains("(AccessDeniedException)", await member.FailAsync("organizations", "list-targets-for-policy", "--policy-id", "p-FullAWSAccess"), StringComparison.Ordinal);
    }
}

public sealed class ListTargetsForPolicyTestsOnSqlite(ScpEstate estate) : ListTargetsForPolicyTests(estate), IClassFixture<ScpEstate>;

public sealed class ListTargetsForPolicyTestsOnPostgres(ScpEstateOnPostgres estate) : ListTargetsForPolicyTests(estate), IClassFixture<ScpEstateOnPostgres>;
