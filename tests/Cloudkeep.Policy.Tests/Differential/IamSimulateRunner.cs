using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Cloudkeep.Policy.Tests.Differential;

/// <summary>Runs tests/tools/simulate.mjs (the @cloud-copilot/iam-simulate oracle) over a batch of cases.</summary>
internal static class IamSimulateRunner
{
    public static string ToolsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "tools");
            if (File.Exists(Path.Combine(candidate, "simulate.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/tools/simulate.mjs not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Fails (never skips) when the oracle is not installed.</summary>
    public static void EnsureInstalled(string tools)
    {
        var package = Path.Combine(tools, "node_modules", "@cloud-copilot", "iam-simulate", "package.json");
        Assert.True(File.Exists(package),
            "The differential oracle is not installed: run `npm ci --prefix tests/tools` from the repository root before the tests.");
    }

    public static JsonArray Run(string tools, JsonArray cases)
    {
        var start = new ProcessStartInfo("node", "simulate.mjs")
        {
            WorkingDirectory = tools,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(cases.ToJsonString());
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "node simulate.mjs timed out");
        Assert.True(process.ExitCode == 0, $"node simulate.mjs failed: {stderr.Result}");
        return JsonNode.Parse(stdout.Result)!.AsArray();
    }
}
