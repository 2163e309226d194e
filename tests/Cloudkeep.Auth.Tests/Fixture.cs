using System.Text.Json;

namespace Cloudkeep.Auth.Tests;

/// <summary>The JSON suites under Fixtures (see SOURCES.md), copied next to the test assembly.</summary>
internal static class Fixture
{
    public static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name))).RootElement.Clone();
}
