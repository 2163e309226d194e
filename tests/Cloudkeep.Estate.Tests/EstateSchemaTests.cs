using System.Text.Json.Nodes;

namespace Cloudkeep.Estate.Tests;

/// <summary>docs/estate.schema.json describes what the parser reads: a bucket setting added to one and not the other fails here, naming it.</summary>
public sealed class EstateSchemaTests
{
    [Fact]
    public void Schema_BucketProperties_AreTheParsersBucketKeys()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "estate.schema.json")))!;
        var properties = schema["$defs"]!["account"]!["properties"]!["buckets"]!["additionalProperties"]!["properties"]!.AsObject();

        Assert.Equal(EstateParser.BucketKeys.Order(StringComparer.Ordinal), properties.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Schema_TrailProperties_AreTheHandlersTrailKeys()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "estate.schema.json")))!;
        var properties = schema["$defs"]!["account"]!["properties"]!["trails"]!["additionalProperties"]!["properties"]!.AsObject();

        Assert.Equal(TrailHandler.Keys.Order(StringComparer.Ordinal), properties.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("topics")]
    [InlineData("alarms")]
    public void Schema_TopicAndAlarmProperties_AreTheHandlersKeys(string section)
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "estate.schema.json")))!;
        var properties = schema["$defs"]!["account"]!["properties"]![section]!["additionalProperties"]!["properties"]!.AsObject();
        string[] keys = section == "topics" ? [.. TopicHandler.Keys, "subscriptions"] : AlarmHandler.Keys;

        Assert.Equal(keys.Order(StringComparer.Ordinal), properties.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Schema_BudgetProperties_AreTheHandlersBudgetKeys()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "estate.schema.json")))!;
        var properties = schema["$defs"]!["account"]!["properties"]!["budgets"]!["additionalProperties"]!["properties"]!.AsObject();

        Assert.Equal(BudgetHandler.Keys.Order(StringComparer.Ordinal), properties.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }
}
