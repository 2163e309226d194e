using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// The dependency direction of ARCHITECTURE.md, checked from the project files: a project may
/// reference only the projects listed for it.
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>The client tools: what runs on a person's or CI machine and talks to a server only through AWS's public APIs.</summary>
    private static readonly string[] ClientTools = ["Cloudkeep.Client", "Cloudkeep.Auth", "Cloudkeep.Secrets", "Cloudkeep.Estate", "Cloudkeep.Watch", "Cloudkeep.Backup"];

    private static readonly string[] CommandAndClientTools = ["Cloudkeep.Cli", .. ClientTools];

    /// <summary>What a client tool never knows. None uses the policy engine (estate files are checked by Estate's own, user-facing grammar).</summary>
    private static readonly string[] ServerLayers = ["Cloudkeep.Policy", "Cloudkeep.Core", "Cloudkeep.Protocol", "Cloudkeep.Storage", "Cloudkeep.Services", "Cloudkeep.Server"];

    /// <summary>
    /// What each layer may never name in a using directive, whatever its project file allows: the
    /// policy engine knows no other project; services never see wire formats or ASP.NET; storage
    /// knows no service rules; the protocol layer calls no handler and touches no store; no server
    /// layer knows the client tools, and the client tools (what runs on a person's or CI machine)
    /// know no server layer and no ASP.NET: they reach a server only through AWS's public APIs.
    /// </summary>
    private static readonly Dictionary<string, string[]> NeverUses = new()
    {
        ["Cloudkeep.Policy"] = ["Cloudkeep.Core", "Cloudkeep.Protocol", "Cloudkeep.Storage", "Cloudkeep.Services", "Cloudkeep.Server", .. CommandAndClientTools],
        ["Cloudkeep.Core"] = ["Cloudkeep.Protocol", "Cloudkeep.Storage", "Cloudkeep.Services", "Cloudkeep.Server", .. CommandAndClientTools, "Microsoft.AspNetCore"],
        ["Cloudkeep.Protocol"] = ["Cloudkeep.Storage", "Cloudkeep.Services", "Cloudkeep.Server", .. CommandAndClientTools, "Microsoft.AspNetCore"],
        ["Cloudkeep.Storage"] = ["Cloudkeep.Protocol", "Cloudkeep.Services", "Cloudkeep.Server", .. CommandAndClientTools, "Microsoft.AspNetCore"],
        ["Cloudkeep.Services"] = ["Cloudkeep.Protocol", "Cloudkeep.Server", .. CommandAndClientTools, "Microsoft.AspNetCore", "System.Xml", "System.Net.Http"],
        ["Cloudkeep.Server"] = CommandAndClientTools,
        ["Cloudkeep.Client"] = [.. ServerLayers, "Cloudkeep.Cli", "Cloudkeep.Auth", "Cloudkeep.Secrets", "Cloudkeep.Estate", "Cloudkeep.Watch", "Cloudkeep.Backup", "Microsoft.AspNetCore"],
        ["Cloudkeep.Auth"] = [.. ServerLayers, "Cloudkeep.Cli", "Cloudkeep.Secrets", "Cloudkeep.Estate", "Cloudkeep.Watch", "Cloudkeep.Backup", "Microsoft.AspNetCore"],
        ["Cloudkeep.Secrets"] = [.. ServerLayers, "Cloudkeep.Cli", "Cloudkeep.Auth", "Cloudkeep.Estate", "Cloudkeep.Watch", "Cloudkeep.Backup", "Microsoft.AspNetCore"],
        ["Cloudkeep.Estate"] = [.. ServerLayers, "Cloudkeep.Cli", "Cloudkeep.Auth", "Cloudkeep.Watch", "Cloudkeep.Backup", "Microsoft.AspNetCore"],
        ["Cloudkeep.Watch"] = [.. ServerLayers, "Cloudkeep.Cli", "Cloudkeep.Auth", "Cloudkeep.Secrets", "Cloudkeep.Estate", "Cloudkeep.Backup", "Microsoft.AspNetCore"],
        ["Cloudkeep.Backup"] = [.. ServerLayers, "Cloudkeep.Cli", "Cloudkeep.Auth", "Cloudkeep.Estate", "Cloudkeep.Watch", "Microsoft.AspNetCore"],

        // The estate's own backup reads the storage layer directly (the data directory on the server's machine),
        // never the services, the wire or the HTTP server.
        ["Cloudkeep.Admin"] = ["Cloudkeep.Protocol", "Cloudkeep.Services", "Cloudkeep.Server", "Cloudkeep.Cli", "Microsoft.AspNetCore"],
        // The security watch's checks are shared by the watch command and serve's job, so they know neither side: no transport, no store.
        ["Cloudkeep.Checks"] = [.. ServerLayers, .. CommandAndClientTools, "Microsoft.AspNetCore", "System.Net.Http", "System.Xml"],
    };

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [Fact]
    public void Sources_NeverUseWhatTheirLayerMustNotKnow()
    {
        var problems = new List<string>();
        foreach (var (project, forbidden) in NeverUses)
        {
            var root = Path.Combine(SourceRoot(), project);
            foreach (var source in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                var text = File.ReadAllText(source);
                foreach (Match match in UsingDirective().Matches(text))
                {
                    var name = match.Groups[1].Value;
                    foreach (var never in forbidden.Where(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal)))
                    {
                        problems.Add($"{Path.GetRelativePath(SourceRoot(), source)}: using {name} ({project} must not know {never})");
                    }
                }

                // Fully qualified names count as much as using directives.
                foreach (var never in forbidden.Where(f => f.StartsWith("Cloudkeep.", StringComparison.Ordinal)))
                {
                    if (text.Contains(never + ".", StringComparison.Ordinal) && !text.Contains("namespace " + never, StringComparison.Ordinal))
                    {
                        problems.Add($"{Path.GetRelativePath(SourceRoot(), source)}: names {never} ({project} must not know it)");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, "Layer rules broken:\n" + string.Join("\n", problems.Distinct()));
    }

    [Fact]
    public void Protocol_CallsNoHandler()
    {
        var callers = Directory.EnumerateFiles(Path.Combine(SourceRoot(), "Cloudkeep.Protocol"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("IOperationHandler", StringComparison.Ordinal) || text.Contains("OperationRegistry", StringComparison.Ordinal)))
            .ToList();
        Assert.True(callers.Count == 0, "The protocol layer names handlers in: " + string.Join(", ", callers));
    }

    [Fact]
    public void Protocol_HoldsNoMutableState()
    {
        // Caches of immutable, derived values (compiled patterns) are readonly fields; anything a
        // request could change between requests would be a static field that is not readonly.
        var mutable = typeof(Cloudkeep.Protocol.Model.ServiceModel).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsInitOnly && !f.IsLiteral && !f.Name.Contains('<', StringComparison.Ordinal))
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name}")
            .ToList();
        Assert.True(mutable.Count == 0, "Protocol holds static state: " + string.Join(", ", mutable));
    }

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Cloudkeep.Policy"] = [],
        ["Cloudkeep.Core"] = ["Cloudkeep.Policy"],
        ["Cloudkeep.Protocol"] = ["Cloudkeep.Core"],
        ["Cloudkeep.Storage"] = ["Cloudkeep.Core"],
        ["Cloudkeep.Services"] = ["Cloudkeep.Core", "Cloudkeep.Storage", "Cloudkeep.Policy"],
        ["Cloudkeep.Server"] = ["Cloudkeep.Core", "Cloudkeep.Protocol", "Cloudkeep.Storage", "Cloudkeep.Services", "Cloudkeep.Policy", "Cloudkeep.Checks"],
        // The client tools: each over the shared client, Estate also over Secrets (SOPS-encrypted membership
        // files); never a server layer. Only the command references the server, for `serve`.
        ["Cloudkeep.Client"] = [],
        ["Cloudkeep.Auth"] = ["Cloudkeep.Client"],
        ["Cloudkeep.Secrets"] = ["Cloudkeep.Client"],
        ["Cloudkeep.Estate"] = ["Cloudkeep.Client", "Cloudkeep.Secrets"],
        ["Cloudkeep.Watch"] = ["Cloudkeep.Client", "Cloudkeep.Checks"],

        // The watch's checks: pure functions from facts to findings, which the command and serve's job both run.
        ["Cloudkeep.Checks"] = [],
        ["Cloudkeep.Backup"] = ["Cloudkeep.Client", "Cloudkeep.Secrets"],
        ["Cloudkeep.Admin"] = ["Cloudkeep.Core", "Cloudkeep.Storage", "Cloudkeep.Backup"],
        ["Cloudkeep.Cli"] = ["Cloudkeep.Server", "Cloudkeep.Client", "Cloudkeep.Auth", "Cloudkeep.Secrets", "Cloudkeep.Estate", "Cloudkeep.Watch", "Cloudkeep.Backup", "Cloudkeep.Admin"],
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
    public void ClientTools_ReferenceNoAspNetCoreAndNoServerPackage()
    {
        foreach (var project in (string[])[.. ClientTools, "Cloudkeep.Checks"])
        {
            var file = XDocument.Load(Path.Combine(SourceRoot(), project, project + ".csproj"));
            Assert.Empty(file.Descendants("FrameworkReference"));
            var packages = file.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToList();
            Assert.DoesNotContain(packages, p => p.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || p is "Npgsql" or "Microsoft.Data.Sqlite" or "Dapper");
        }
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
