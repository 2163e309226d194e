using System.Text.Json;

namespace Cloudkeep.Server.Tests.Organizations;

/// <summary>organizations:UpdatePolicy through the AWS CLI: what changes, what it refuses, and that a refusal changes nothing.</summary>
public abstract class UpdatePolicyTests(ScpEstate estate)
{
    private const string Oversized = "oversized";

    // 120 valid statements: well formed, but over the 5,120 characters an SCP may have.
    private static readonly string OversizedContent = JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = Enumerable.Range(0, 120).Select(i => new { Sid = $"Deny{i}", Effect = "Deny", Action = "iam:CreateGroup", Resource = "*" }),
    });

    public static TheoryData<string, string[], string, string> BadInputs() => new()
    {
        { "empty document", ["--content", "{}"], "MalformedPolicyDocumentException", "" },
        { "not JSON", ["--content", "deny everything"], "MalformedPolicyDocumentException", "" },
        { "unknown effect", ["--content", """{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}"""], "MalformedPolicyDocumentException", "" },
        { "over 5,120 characters", ["--content", Oversized], "ConstraintViolationException", "exceeds the size limit" },
        { "another policy's name, in other case", ["--name", "UPDATE-TESTS-NEIGHBOUR"], "DuplicatePolicyException", "" },
        { "name over 128 characters", ["--name", new string('n', 129)], "InvalidInputException", "longer than allowed" },
        { "description over 512 characters", ["--description", new string('d', 513)], "InvalidInputException", "longer than allowed" },
        { "good name with bad content", ["--name", "never-applied", "--content", "{}"], "MalformedPolicyDocumentException", "" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task UpdatePolicy_BadInput_IsRefusedAndChangesNothing(string name, string[] arguments, string code, string message)
    {
        var policyId = await estate.CreateScpAsync("update-tests-" + Guid.NewGuid().ToString("N")[..8], ScpEstate.Deny("iam:CreateGroup"));
        await EnsureNeighbourAsync();
        var before = await DescribeAsync(policyId);
        var resolved = arguments.Select(a => a == Oversized ? OversizedContent : a).ToArray();

        var error = await estate.Root.FailAsync(["organizations", "update-policy", "--policy-id", policyId, .. resolved]);

        Assert.True(error.Contains($"({code})", StringComparison.Ordinal), $"{name}: {error}");
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(before, await DescribeAsync(policyId));
    }

    [Fact]
    public async Task UpdatePolicy_UnknownOrMalformedId_IsPolicyNotFoundOrInvalidInput()
    {
        Assert.Contains("(PolicyNotFoundException)", await estate.Root.FailAsync("organizations", "update-policy", "--policy-id", "p-doesnotexist", "--name", "x"), StringComparison.Ordinal);
        var malformed = await estate.Root.FailAsync("organizations", "update-policy", "--policy-id", "policy-1", "--name", "x", "--debug");
        Assert.Contains("(InvalidInputException)", malformed, StringComparison.Ordinal);
        Assert.Contains("doesn't match the required pattern", malformed, StringComparison.Ordinal);
        Assert.Contains("\"Reason\":\"INVALID_PATTERN\"", malformed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatePolicy_FullAwsAccess_IsImmutableAndStaysAsItWas()
    {
        var before = await DescribeAsync("p-FullAWSAccess");
        // --debug shows the response body: the Reason member travels next to the message.
        var error = await estate.Root.FailAsync("organizations", "update-policy", "--policy-id", "p-FullAWSAccess", "--content", ScpEstate.Deny("*"), "--debug");
        Assert.Contains("(InvalidInputException)", error, StringComparison.Ordinal);
        Assert.Contains("managed by AWS and can't be modified", error, StringComparison.Ordinal);
        Assert.Contains("\"Reason\":\"IMMUTABLE_POLICY\"", error, StringComparison.Ordinal);
        Assert.Equal(before, await DescribeAsync("p-FullAWSAccess"));
        var member = await estate.InMemberAsync("audited");
        await member.RunAsync("iam", "list-roles");
    }

    [Fact]
    public async Task UpdatePolicy_NameAlone_KeepsDescriptionAndContent_AndAnswersLikeDescribePolicy()
    {
        var content = ScpEstate.Deny("iam:CreateGroup");
        var policyId = await estate.CreateScpAsync("rename-me", content, "kept description");

        var renamed = (await estate.Root.RunAsync("organizations", "update-policy", "--policy-id", policyId, "--name", "renamed")).GetProperty("Policy");
        Assert.Equal(renamed.GetRawText(), (await estate.Root.RunAsync("organizations", "describe-policy", "--policy-id", policyId)).GetProperty("Policy").GetRawText());
        var summary = renamed.GetProperty("PolicySummary");
        Assert.Equal("renamed", summary.GetProperty("Name").GetString());
        Assert.Equal("kept description", summary.GetProperty("Description").GetString());
        Assert.Equal(content, renamed.GetProperty("Content").GetString());
        Assert.Equal(policyId, summary.GetProperty("Id").GetString());
        Assert.StartsWith($"arn:aws:organizations::{estate.Server.AccountId}:policy/o-", summary.GetProperty("Arn").GetString(), StringComparison.Ordinal);
        Assert.False(summary.GetProperty("AwsManaged").GetBoolean());

        // Nothing supplied changes nothing; its own name in another case is not a duplicate; an empty
        // description is allowed.
        var unchanged = (await estate.Root.RunAsync("organizations", "update-policy", "--policy-id", policyId)).GetProperty("Policy");
        Assert.Equal(renamed.GetRawText(), unchanged.GetRawText());
        var described = (await estate.Root.RunAsync("organizations", "update-policy", "--policy-id", policyId, "--name", "RENAMED", "--description", "")).GetProperty("Policy").GetProperty("PolicySummary");
        Assert.Equal("RENAMED", described.GetProperty("Name").GetString());
        Assert.Equal("", described.GetProperty("Description").GetString());
        var listed = (await estate.Root.RunAsync("organizations", "list-policies", "--filter", "SERVICE_CONTROL_POLICY")).GetProperty("Policies");
        Assert.Contains(listed.EnumerateArray(), p => p.GetProperty("Id").GetString() == policyId && p.GetProperty("Name").GetString() == "RENAMED");
    }

    [Fact]
    public async Task UpdatePolicy_NewContent_GovernsTheMemberAccountsNextRequest()
    {
        var policyId = await estate.CreateScpAsync("moving-deny", ScpEstate.Deny("iam:CreateGroup"));
        await estate.Root.RunAsync("organizations", "attach-policy", "--policy-id", policyId, "--target-id", estate.Accounts["audited"]);
        try
        {
            var member = await estate.InMemberAsync("audited");
            Assert.Contains("explicit deny in a service control policy", await member.FailAsync("iam", "create-group", "--group-name", "before-update"), StringComparison.Ordinal);
            await member.RunAsync("iam", "create-user", "--user-name", "before-update");

            var updated = (await estate.Root.RunAsync("organizations", "update-policy", "--policy-id", policyId, "--content", ScpEstate.Deny("iam:CreateUser"))).GetProperty("Policy");
            Assert.Equal(ScpEstate.Deny("iam:CreateUser"), updated.GetProperty("Content").GetString());

            await member.RunAsync("iam", "create-group", "--group-name", "after-update");
            Assert.Contains("explicit deny in a service control policy", await member.FailAsync("iam", "create-user", "--user-name", "after-update"), StringComparison.Ordinal);
        }
        finally
        {
            await estate.Root.RunAsync("organizations", "detach-policy", "--policy-id", policyId, "--target-id", estate.Accounts["audited"]);
        }
    }

    [Fact]
    public async Task UpdatePolicy_FromAMemberAccount_IsAccessDenied()
    {
        var policyId = await estate.CreateScpAsync("member-cannot-update", ScpEstate.Deny("iam:CreateGroup"));
        var before = await DescribeAsync(policyId);
        var member = await estate.InMemberAsync("audited");
        Assert.Contains("(AccessDeniedException)", await member.FailAsync("organizations", "update-policy", "--policy-id", policyId, "--name", "taken-over"), StringComparison.Ordinal);
        Assert.Equal(before, await DescribeAsync(policyId));
    }

    [Fact]
    public async Task UpdatePolicy_IsAuthorizedOnThePolicyArn()
    {
        var mine = await estate.CreateScpAsync("delegated", ScpEstate.Deny("iam:CreateGroup"));
        var other = await estate.CreateScpAsync("not-delegated", ScpEstate.Deny("iam:CreateGroup"));
        var arn = (await estate.Root.RunAsync("organizations", "describe-policy", "--policy-id", mine)).GetProperty("Policy").GetProperty("PolicySummary").GetProperty("Arn").GetString()!;
        var userName = "scp-editor-" + Guid.NewGuid().ToString("N")[..6];
        var editor = await estate.Root.CreateUserWithKeyAsync(userName);
        var policy = JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = new[] { new { Effect = "Allow", Action = "organizations:UpdatePolicy", Resource = arn } } });
        await estate.Root.RunAsync("iam", "put-user-policy", "--user-name", userName, "--policy-name", "edit-one-scp", "--policy-document", policy);

        await editor.RunAsync("organizations", "update-policy", "--policy-id", mine, "--description", "edited by its delegate");
        var before = await DescribeAsync(other);
        var denied = await editor.FailAsync("organizations", "update-policy", "--policy-id", other, "--description", "not mine");
        Assert.Contains("(AccessDeniedException)", denied, StringComparison.Ordinal);
        Assert.Contains("organizations:UpdatePolicy", denied, StringComparison.Ordinal);
        Assert.Equal(before, await DescribeAsync(other));
    }

    private async Task EnsureNeighbourAsync()
    {
        var listed = (await estate.Root.RunAsync("organizations", "list-policies", "--filter", "SERVICE_CONTROL_POLICY")).GetProperty("Policies");
        if (!listed.EnumerateArray().Any(p => p.GetProperty("Name").GetString() == "update-tests-neighbour"))
        {
            await estate.CreateScpAsync("update-tests-neighbour", ScpEstate.Deny("iam:DeleteGroup"));
        }
    }

    private async Task<string> DescribeAsync(string policyId) =>
        (await estate.Root.RunAsync("organizations", "describe-policy", "--policy-id", policyId)).GetProperty("Policy").GetRawText();
}

public sealed class UpdatePolicyTestsOnSqlite(ScpEstate estate) : UpdatePolicyTests(estate), IClassFixture<ScpEstate>;

public sealed class UpdatePolicyTestsOnPostgres(ScpEstateOnPostgres estate) : UpdatePolicyTests(estate), IClassFixture<ScpEstateOnPostgres>;
