namespace Cloudkeep.Server.Tests;

/// <summary>
/// Lists the store orders (and pages with "name after the marker") come in byte order on either engine, as
/// SQLite's BINARY collation gives: a PostgreSQL database with a locale's collation (the test databases have
/// ICU's en-US) would put "a_b" before "a-b" and "a" before "B".
/// </summary>
public abstract class NameOrderTests(ServerFixture fixture)
{
    private readonly Cli _root = Cli.Root(fixture.Server);

    [Fact]
    public async Task KmsListAliases_MixedCaseAndPunctuation_AreInByteOrderOnEveryPage()
    {
        string[] aliases = ["alias/Order-B", "alias/order-a", "alias/orderA", "alias/order_a"];
        var keyId = (await _root.RunAsync("kms", "create-key", "--region", "eu-west-2")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        foreach (var alias in Enumerable.Reverse(aliases))
        {
            await _root.RunAsync("kms", "create-alias", "--region", "eu-west-2", "--alias-name", alias, "--target-key-id", keyId);
        }

        var listed = await _root.RunAsync("kms", "list-aliases", "--region", "eu-west-2", "--key-id", keyId, "--page-size", "3");
        Assert.Equal(aliases, listed.GetProperty("Aliases").EnumerateArray().Select(a => a.GetProperty("AliasName").GetString()));
    }

    [Fact]
    public async Task LogsDescribeLogGroups_MixedCaseAndPunctuation_AreInByteOrderOnEveryPage()
    {
        string[] groups = ["/order/-x", "/order/B", "/order/_x", "/order/a"];
        foreach (var group in Enumerable.Reverse(groups))
        {
            await _root.RunAsync("logs", "create-log-group", "--region", "eu-west-2", "--log-group-name", group);
        }

        var listed = await _root.RunAsync("logs", "describe-log-groups", "--region", "eu-west-2", "--log-group-name-prefix", "/order/", "--page-size", "3");
        Assert.Equal(groups, listed.GetProperty("logGroups").EnumerateArray().Select(g => g.GetProperty("logGroupName").GetString()));
    }

    [Fact]
    public async Task SnsListTopics_MixedCaseAndPunctuation_AreInByteOrder()
    {
        string[] topics = ["order-B", "order-a", "orderA", "order_a"];
        foreach (var topic in Enumerable.Reverse(topics))
        {
            await _root.RunAsync("sns", "create-topic", "--region", "eu-west-2", "--name", topic);
        }

        var listed = await _root.RunAsync("sns", "list-topics", "--region", "eu-west-2");
        Assert.Equal(topics, listed.GetProperty("Topics").EnumerateArray().Select(t => t.GetProperty("TopicArn").GetString()!.Split(':')[^1]));
    }
}

public sealed class NameOrderTestsOnSqlite(ServerFixture fixture) : NameOrderTests(fixture), IClassFixture<ServerFixture>;

public sealed class NameOrderTestsOnPostgres(PostgresServerFixture fixture) : NameOrderTests(fixture), IClassFixture<PostgresServerFixture>;
