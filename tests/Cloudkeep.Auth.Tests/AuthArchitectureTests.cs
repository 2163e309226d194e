namespace Cloudkeep.Auth.Tests;

/// <summary>
/// `cloudkeep auth` is a client: it reaches a server only through the AWS SDK, so it works against
/// AWS as well as Cloudkeep. Its code must not use the server's own libraries.
/// </summary>
public sealed class AuthArchitectureTests
{
    [Fact]
    public void ClientCode_UsesNoServerLibrary()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var sources = Directory.GetFiles(Path.Combine(directory.FullName, "src", "Cloudkeep.Auth"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Append(Path.Combine(directory.FullName, "src", "Cloudkeep.Cli", "Commands", "AuthCommand.cs"))
            .Append(Path.Combine(directory.FullName, "src", "Cloudkeep.Cli", "Commands", "ConsoleUrlCommand.cs"));
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
