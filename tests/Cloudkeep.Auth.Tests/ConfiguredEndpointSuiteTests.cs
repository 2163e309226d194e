using System.Text;
using System.Text.Json;

namespace Cloudkeep.Auth.Tests;

/// <summary>Every case of botocore's configured endpoint URL suite (profile-tests.json), through real config text.</summary>
public sealed class ConfiguredEndpointSuiteTests
{
    private static readonly JsonElement Suite = Fixture.Load("profile-tests.json").GetProperty("testSuites")[0];

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var index = 0;
        foreach (var test in Suite.GetProperty("endpointUrlTests").EnumerateArray())
        {
            data.Add(index++, test.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Fact]
    public void Suite_HasEveryPublishedCase()
    {
        Assert.Equal(39, Suite.GetProperty("endpointUrlTests").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConfiguredEndpoints_SuiteCase_MatchesExpectedEndpoint(int index, string name)
    {
        var test = Suite.GetProperty("endpointUrlTests")[index];
        Assert.Equal(name, test.GetProperty("name").GetString());
        var profiles = ProfileSet.Parse(ConfigText(), null);
        var environment = new EnvironmentVariables(Suite.GetProperty("environments").GetProperty(test.GetProperty("environment").GetString()!)
            .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        var client = Suite.GetProperty("client_configs").GetProperty(test.GetProperty("client_config").GetString()!);
        var clientEndpoint = client.TryGetProperty("endpoint_url", out var e) ? e.GetString() : null;
        bool? clientIgnore = client.TryGetProperty("ignore_configured_endpoint_urls", out var i) ? i.GetString() == "true" : null;
        var profile = test.GetProperty("profile").GetString()!;
        var service = test.GetProperty("service").GetString()!;

        var endpoint = ConfiguredEndpoints.Resolve(profiles, profile, environment, service, clientEndpoint, clientIgnore)
            // Nothing configured: the SDK's own endpoint for the profile's region.
            ?? $"https://{service}.{profiles.Get(profile, "region")}.amazonaws.com";

        Assert.Equal(test.GetProperty("output").GetProperty("endpointUrl").GetString(), endpoint);
    }

    /// <summary>The suite's profiles and services sections written as a ~/.aws/config file.</summary>
    private static string ConfigText()
    {
        var text = new StringBuilder();
        foreach (var profile in Suite.GetProperty("profiles").EnumerateObject())
        {
            text.Append(profile.Name == "default" ? "[default]\n" : $"[profile {profile.Name}]\n");
            foreach (var property in profile.Value.EnumerateObject())
            {
                text.Append($"{property.Name} = {property.Value.GetString()}\n");
            }
        }

        foreach (var section in Suite.GetProperty("services").EnumerateObject())
        {
            text.Append($"[services {section.Name}]\n");
            foreach (var service in section.Value.EnumerateObject())
            {
                text.Append($"{service.Name} =\n");
                foreach (var property in service.Value.EnumerateObject())
                {
                    text.Append($"  {property.Name} = {property.Value.GetString()}\n");
                }
            }
        }

        return text.ToString();
    }
}
