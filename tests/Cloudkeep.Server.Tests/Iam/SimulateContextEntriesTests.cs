namespace Cloudkeep.Server.Tests.Iam;

/// <summary>
/// The policy simulator decides with the context entries it is given, aws:username included, in conditions and in
/// policy variables of resources alike ("Whenever a context key is evaluated in one of the simulated IAM
/// permissions policies, the corresponding value is supplied").
/// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ContextEntry.html
/// </summary>
public sealed class SimulateContextEntriesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string HomeResource = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/home/${aws:username}/*"}]}""";
    private const string HomeWithDefault = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/home/${aws:username, 'shared'}/*"}]}""";
    private const string OnlyAlice = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice"}}}]}""";

    private readonly Cli _root = Cli.Root(fixture.Server);

    public static TheoryData<string, string, string?, string?, string> Cases() => new()
    {
        // policy, resource, CallerArn user name, aws:username context entry, decision
        { HomeResource, "arn:aws:s3:::docs/home/alice/a.txt", null, "alice", "allowed" },
        { HomeResource, "arn:aws:s3:::docs/home/alice/a.txt", null, "bob", "implicitDeny" },
        { HomeResource, "arn:aws:s3:::docs/home/alice/a.txt", null, null, "implicitDeny" },
        { HomeWithDefault, "arn:aws:s3:::docs/home/shared/a.txt", null, null, "allowed" },
        { HomeWithDefault, "arn:aws:s3:::docs/home/shared/a.txt", null, "alice", "implicitDeny" },
        { HomeWithDefault, "arn:aws:s3:::docs/home/alice/a.txt", null, "alice", "allowed" },
        { OnlyAlice, "arn:aws:s3:::docs/a.txt", null, "alice", "allowed" },
        { OnlyAlice, "arn:aws:s3:::docs/a.txt", null, null, "implicitDeny" },
        { OnlyAlice, "arn:aws:s3:::docs/a.txt", "alice", null, "allowed" },
        { OnlyAlice, "arn:aws:s3:::docs/a.txt", "bob", "alice", "allowed" },
        { HomeResource, "arn:aws:s3:::docs/home/bob/a.txt", "bob", "alice", "implicitDeny" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SimulateCustomPolicy_UsernameContextEntry_DecidesConditionsAndVariables(string policy, string resource, string? caller, string? username, string decision)
    {
        List<string> arguments = ["iam", "simulate-custom-policy", "--policy-input-list", policy, "--action-names", "s3:GetObject", "--resource-arns", resource];
        if (caller is not null)
        {
            arguments.AddRange(["--caller-arn", $"arn:aws:iam::{fixture.Server.AccountId}:user/{caller}"]);
        }

        if (username is not null)
        {
            arguments.AddRange(["--context-entries", $"ContextKeyName=aws:username,ContextKeyValues={username},ContextKeyType=string"]);
        }

        var result = await _root.RunAsync([.. arguments]);

        Assert.Equal(decision, result.GetProperty("EvaluationResults")[0].GetProperty("EvalDecision").GetString());
    }

    [Fact]
    public async Task SimulatePrincipalPolicy_UsernameContextEntry_ReplacesTheSourceUsersName()
    {
        await _root.RunAsync("iam", "create-user", "--user-name", "simulated-home");
        await _root.RunAsync("iam", "put-user-policy", "--user-name", "simulated-home", "--policy-name", "home", "--policy-document", HomeResource);
        var source = $"arn:aws:iam::{fixture.Server.AccountId}:user/simulated-home";

        var result = await _root.RunAsync("iam", "simulate-principal-policy", "--policy-source-arn", source, "--action-names", "s3:GetObject",
            "--resource-arns", "arn:aws:s3:::docs/home/simulated-home/a.txt", "arn:aws:s3:::docs/home/alice/a.txt",
            "--context-entries", "ContextKeyName=aws:username,ContextKeyValues=alice,ContextKeyType=string");

        var decisions = result.GetProperty("EvaluationResults").EnumerateArray()
            .ToDictionary(r => r.GetProperty("EvalResourceName").GetString()!, r => r.GetProperty("EvalDecision").GetString());
        Assert.Equal("allowed", decisions["arn:aws:s3:::docs/home/alice/a.txt"]);
        Assert.Equal("implicitDeny", decisions["arn:aws:s3:::docs/home/simulated-home/a.txt"]);
    }
}
