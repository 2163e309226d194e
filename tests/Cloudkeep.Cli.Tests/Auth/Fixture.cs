using System.Text.Json;

namespace Cloudkeep.Cli.Tests.Auth;

/// <summary>The JSON suites under Auth/Fixtures (see SOURCES.md), copied next to the test assembly.</summary>
internal static class Fixture
{
    public static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Auth", "Fixtures", name))).RootElement.Clone();
}
