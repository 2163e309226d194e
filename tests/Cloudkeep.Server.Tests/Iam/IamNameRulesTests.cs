namespace Cloudkeep.Server.Tests.Iam;

/// <summary>
/// IAM's name rules on either engine: names "are not distinguished by case" (IAM User Guide, "IAM identifiers"),
/// they are ASCII letters, digits and +=,.@_-, lists come in one order whatever PostgreSQL's database collation
/// is (the upper-cased name in byte order), and tag values keep their non-ASCII text.
/// </summary>
public abstract class IamNameRulesTests(ServerFixture fixture)
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""";
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    private readonly Cli _root = Cli.Root(fixture.Server);

    [Fact]
    public async Task Names_DifferingOnlyInCase_AreOneEntity_FoundByAnyCase()
    {
        await _root.RunAsync("iam", "create-user", "--user-name", "Alice");
        Assert.Contains("EntityAlreadyExists", await _root.FailAsync("iam", "create-user", "--user-name", "alice"), StringComparison.Ordinal);
        Assert.Equal("Alice", (await _root.RunAsync("iam", "get-user", "--user-name", "aLICE")).GetProperty("User").GetProperty("UserName").GetString());

        await _root.RunAsync("iam", "create-role", "--role-name", "Deployer", "--assume-role-policy-document", Trust);
        Assert.Contains("EntityAlreadyExists", await _root.FailAsync("iam", "create-role", "--role-name", "DEPLOYER", "--assume-role-policy-document", Trust), StringComparison.Ordinal);
        Assert.Equal("Deployer", (await _root.RunAsync("iam", "get-role", "--role-name", "deployer")).GetProperty("Role").GetProperty("RoleName").GetString());

        await _root.RunAsync("iam", "create-group", "--group-name", "Auditors");
        Assert.Contains("EntityAlreadyExists", await _root.FailAsync("iam", "create-group", "--group-name", "auditors"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "add-user-to-group", "--user-name", "ALICE", "--group-name", "AUDITORS");
        var groups = (await _root.RunAsync("iam", "list-groups-for-user", "--user-name", "alice")).GetProperty("Groups");
        Assert.Equal(["Auditors"], groups.EnumerateArray().Select(g => g.GetProperty("GroupName").GetString()));

        await _root.RunAsync("iam", "create-policy", "--policy-name", "ReadThings", "--policy-document", Document);
        Assert.Contains("EntityAlreadyExists", await _root.FailAsync("iam", "create-policy", "--policy-name", "readthings", "--policy-document", Document), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListUsers_NamesWithPunctuationAndCase_AreInUpperCasedByteOrder()
    {
        // Upper-cased: X+Z X,N X-A X.C X=Q X@M XA XB X_B, in byte order; a locale's collation orders punctuation otherwise.
        string[] names = ["x+z", "x,n", "x-a", "x.c", "x=q", "x@m", "xA", "Xb", "x_b"];
        foreach (var name in Enumerable.Reverse(names))
        {
            await _root.RunAsync("iam", "create-user", "--user-name", name, "--path", "/order/");
        }

        var listed = (await _root.RunAsync("iam", "list-users", "--path-prefix", "/order/")).GetProperty("Users");
        Assert.Equal(names, listed.EnumerateArray().Select(u => u.GetProperty("UserName").GetString()));
        var paged = await _root.RunAsync("iam", "list-users", "--path-prefix", "/order/", "--page-size", "2");
        Assert.Equal(names, paged.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("UserName").GetString()));
    }

    [Theory]
    [InlineData("zoë")]
    [InlineData("日本")]
    public async Task CreateUser_NonAsciiName_IsValidationError(string name)
    {
        Assert.Contains("ValidationError", await _root.FailAsync("iam", "create-user", "--user-name", name), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagValues_NonAscii_RoundTrip()
    {
        await _root.RunAsync("iam", "create-user", "--user-name", "tagged-utf8", "--tags", "Key=city,Value=Zürich", "Key=team,Value=日本 ops");
        var tags = (await _root.RunAsync("iam", "list-user-tags", "--user-name", "tagged-utf8")).GetProperty("Tags");
        Assert.Equal(
            [("city", "Zürich"), ("team", "日本 ops")],
            tags.EnumerateArray().Select(t => (t.GetProperty("Key").GetString(), t.GetProperty("Value").GetString())).OrderBy(t => t.Item1, StringComparer.Ordinal));
    }
}

public sealed class IamNameRulesTestsOnSqlite(ServerFixture fixture) : IamNameRulesTests(fixture), IClassFixture<ServerFixture>;

public sealed class IamNameRulesTestsOnPostgres(PostgresServerFixture fixture) : IamNameRulesTests(fixture), IClassFixture<PostgresServerFixture>;
