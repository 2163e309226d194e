namespace Cloudkeep.Cli.Tests;

/// <summary>
/// The `cloudkeep` command itself. What its verbs do is tested with the projects that hold them (tests/Cloudkeep.Auth.Tests,
/// .Secrets.Tests, .Estate.Tests, .Client.Tests), against a real server on loopback and through this built command.
/// </summary>
public sealed class CliAssemblyTests
{
    [Fact]
    public void The_cli_assembly_is_named_cloudkeep()
    {
        Assert.Equal("cloudkeep", typeof(Cloudkeep.Cli.Commands.ServeCommand).Assembly.GetName().Name);
    }
}
