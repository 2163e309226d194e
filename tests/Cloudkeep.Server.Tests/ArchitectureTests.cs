using System.Xml.Linq;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// The dependency direction of ARCHITECTURE.md, checked from the project files: a project may
/// reference only the projects listed for it.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Cloudkeep.Policy"] = [],
        ["Cloudkeep.Core"] = ["Cloudkeep.Policy"],
        ["Cloudkeep.Protocol"] = ["Cloudkeep.Core"],
        ["Cloudkeep.Storage"] = ["Cloudkeep.Core"],
        ["Cloudkeep.Services"] = ["Cloudkeep.Core", "Cloudkeep.Storage", "Cloudkeep.Policy"],
        ["Cloudkeep.Server"] = ["Cloudkeep.Core", "Cloudkeep.Protocol", "Cloudkeep.Storage", "Cloudkeep.Services", "Cloudkeep.Policy"],
        ["Cloudkeep.Cli"] = ["Cloudkeep.Server"],
    };

    private static string SourceRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Cloudkeep.slnx not found above the test output."), "src");
    }

    [Fact]
    public void Projects_ReferenceOnlyWhatTheArchitectureAllows()
    {
        var projects = Directory.GetDirectories(SourceRoot()).Select(Path.GetFileName).ToList();
        Assert.Equal(Allowed.Keys.Order(), projects.Order());
        foreach (var project in projects)
        {
            var file = XDocument.Load(Path.Combine(SourceRoot(), project!, project + ".csproj"));
            var references = file.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
                .ToList();
            var forbidden = references.Except(Allowed[project!]).ToList();
            Assert.True(forbidden.Count == 0, $"{project} must not reference {string.Join(", ", forbidden)}");
        }
    }

    [Fact]
    public void Policy_DependsOnNothingButTheBcl()
    {
        var file = XDocument.Load(Path.Combine(SourceRoot(), "Cloudkeep.Policy", "Cloudkeep.Policy.csproj"));
        Assert.Empty(file.Descendants("PackageReference"));
        Assert.Empty(file.Descendants("FrameworkReference"));
    }

    [Fact]
    public void Services_DoNotTouchAspNetOrWireFormats()
    {
        var file = XDocument.Load(Path.Combine(SourceRoot(), "Cloudkeep.Services", "Cloudkeep.Services.csproj"));
        Assert.Empty(file.Descendants("FrameworkReference"));
        foreach (var source in Directory.EnumerateFiles(Path.Combine(SourceRoot(), "Cloudkeep.Services"), "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(source);
            Assert.DoesNotContain("System.Xml", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.AspNetCore", text, StringComparison.Ordinal);
        }
    }
}
