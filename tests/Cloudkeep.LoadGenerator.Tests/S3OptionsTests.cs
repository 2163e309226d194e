using Cloudkeep.LoadGenerator.S3;

namespace Cloudkeep.LoadGenerator.Tests;

public sealed class S3OptionsTests
{
    private const string Target = "name=Cloudkeep,endpoint=http://127.0.0.1:4566/,pid=42,access-key=AKIAEXAMPLE000000001,secret-key=s3cret";

    [Fact]
    public void Parse_TargetOnly_HasIssueDefaults()
    {
        var options = S3Options.Parse(["--target", Target]);

        Assert.Equal([1, 16], options.Clients);
        Assert.Equal(4096, options.SmallSize);
        Assert.Equal(1L << 30, options.LargeSize);
        Assert.Equal(100_000, options.ListKeys);
        Assert.Equal(16, options.ListClients);
        Assert.Equal(S3Options.DefaultScenarios.Order(), options.Scenarios.Order());
        Assert.Equal(5, options.Versions);
    }

    [Fact]
    public void Parse_VersionsScenario_IsOptIn()
    {
        var options = S3Options.Parse(["--target", Target, "--scenarios", "versions", "--versions", "3"]);
        Assert.Equal(["versions"], options.Scenarios);
        Assert.Equal(3, options.Versions);
    }

    [Fact]
    public void Parse_Target_ReadsEveryField()
    {
        var target = Assert.Single(S3Options.Parse(["--target", Target]).Targets);

        Assert.Equal(new S3Target("Cloudkeep", new Uri("http://127.0.0.1:4566/"), 42, new Credentials("AKIAEXAMPLE000000001", "s3cret")), target);
    }

    [Theory]
    [InlineData("name=a,endpoint=http://127.0.0.1:1/,pid=1,access-key=k")]
    [InlineData("name=a,endpoint=http://127.0.0.1:1/,pid=x,access-key=k,secret-key=s")]
    [InlineData("name=a,endpoint=ftp://h/,pid=1,access-key=k,secret-key=s")]
    [InlineData("name=a,endpoint=http://127.0.0.1:1/,pid=1,access-key=k,secret-key=s,colour=red")]
    [InlineData("name=a,name=b,endpoint=http://127.0.0.1:1/,pid=1,access-key=k,secret-key=s")]
    public void Parse_BadTarget_Throws(string spec) =>
        Assert.Throws<ArgumentException>(() => S3Target.Parse(spec));

    [Theory]
    [InlineData("--scenarios", "small,huge")]
    [InlineData("--clients", "0")]
    [InlineData("--large-size", "6G")]
    [InlineData("--bogus", "1")]
    public void Parse_BadOption_Throws(string option, string value) =>
        Assert.Throws<ArgumentException>(() => S3Options.Parse(["--target", Target, option, value]));

    [Fact]
    public void Parse_NoTarget_Throws() =>
        Assert.Throws<ArgumentException>(() => S3Options.Parse([]));

    [Theory]
    [InlineData("4096", 4096)]
    [InlineData("64K", 64L << 10)]
    [InlineData("256m", 256L << 20)]
    [InlineData("1G", 1L << 30)]
    public void ParseSize_WithSuffix_IsBinaryMultiple(string text, long expected) =>
        Assert.Equal(expected, S3Options.ParseSize(text));

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("-1")]
    [InlineData("1T")]
    public void ParseSize_Invalid_Throws(string text) =>
        Assert.Throws<ArgumentException>(() => S3Options.ParseSize(text));
}
