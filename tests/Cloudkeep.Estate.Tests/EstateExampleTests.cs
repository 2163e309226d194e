using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>examples/digital-marketplace: the seed's estate parses, applies to an empty server, and a second plan is empty.</summary>
public sealed class EstateExampleTests
{
    private static readonly string Example = Path.Combine(RepositoryRoot(), "examples", "digital-marketplace");

    [Fact]
    public void Example_Parses_WithEveryAccountAndResource()
    {
        var document = EstateParser.ParseFile(Path.Combine(Example, "estate.yaml"));

        Assert.Equal(["main", "development", "production", "backups"], document.Accounts.Select(a => a.Name).ToArray());
        Assert.Equal(8, document.Resources.Count(r => r.Kind == ResourceKind.Group));
        Assert.Equal(27, document.Resources.Count(r => r.Kind == ResourceKind.Bucket));
        // Every environment bucket is versioned; the two local development buckets are not.
        Assert.Equal(25, document.Resources.Count(r => r.Kind == ResourceKind.Bucket && r.Fields.GetValueOrDefault("versioning") == "Enabled"));
        var backups = document.Resources.Single(r => r.Kind == ResourceKind.Bucket && r.Name == "digitalmarketplace-database-backups");
        Assert.Equal("""[{"expiration":{"days":180},"id":"expire-after-180-days","status":"Enabled"}]""", backups.Fields["lifecycle"]);
    }

    [Fact]
    public async Task Example_AppliedToAnEmptyServer_ThenPlansNoChanges()
    {
        // Over https: every bucket of the estate denies plain http (aws:SecureTransport), reads included.
        await using var server = await TestServer.StartAsync(tls: true);
        using var harness = new EstateHarness(server);
        await harness.UseAdministratorAsync();
        foreach (var policy in Directory.GetFiles(Path.Combine(Example, "policies")))
        {
            harness.Write(Path.Combine("policies", Path.GetFileName(policy)), File.ReadAllText(policy));
        }

        var file = harness.Write("estate.yaml", File.ReadAllText(Path.Combine(Example, "estate.yaml")));

        var apply = await harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Contains("creating account backups ... done", apply.Output, StringComparison.Ordinal);
        var plan = await harness.PlanAsync(file);
        Assert.True(plan.Exit == 0, plan.Output + plan.Error);
        Assert.Contains("creating key main/sops-credentials@eu-west-1 ... done", apply.Output, StringComparison.Ordinal);
        Assert.Contains("creating key main/sops-credentials@eu-west-2 ... done", apply.Output, StringComparison.Ordinal);

        // The office addresses are a variable: another value changes IPRestrictedAccess in every account that has it, and nothing else.
        var office = await harness.PlanAsync(file, args => args with { Variables = new Dictionary<string, string> { ["officeIps"] = "[192.0.2.0/24]" } });
        Assert.Equal(2, office.Exit);
        Assert.Contains("\"aws:SourceIp\":[\"192.0.2.0/24\"]", office.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 3 to update, 0 to delete.", office.Output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }
}
