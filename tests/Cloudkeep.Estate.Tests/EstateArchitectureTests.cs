namespace Cloudkeep.Estate.Tests;

/// <summary>
/// plan and apply are clients: they reach a server only through the AWS APIs, so they work against
/// AWS as well as Cloudkeep. Their code must not use the server's own libraries.
/// </summary>
public sealed class EstateArchitectureTests
{
    [Fact]
    public void EstateCode_UsesNoServerLibrary()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var cli = Path.Combine(directory.FullName, "src", "Cloudkeep.Cli");
        var sources = Directory.GetFiles(Path.Combine(directory.FullName, "src", "Cloudkeep.Estate"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(new[] { "PlanCommand.cs", "ApplyCommand.cs", "ExportCommand.cs", "EstateCommandLine.cs" }.Select(f => Path.Combine(cli, "Commands", f)))
            .ToList();
        Assert.True(sources.Count > 10);
        foreach (var source in sources)
        {
            var text = File.ReadAllText(source);
            foreach (var library in new[] { "Cloudkeep.Server", "Cloudkeep.Services", "Cloudkeep.Storage", "Cloudkeep.Core", "Cloudkeep.Protocol", "Cloudkeep.Policy" })
            {
                Assert.False(text.Contains($"using {library}", StringComparison.Ordinal) || text.Contains(library + ".", StringComparison.Ordinal), $"{source} uses {library}");
            }
        }
    }
}
