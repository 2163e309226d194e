using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>Organizational units in the estate file: the tree, where member accounts sit, SCPs on OUs, and their removal.</summary>
public sealed class EstateOrganizationalUnitsTests : EstateServerTest
{
    private const string Estate = """
        accounts:
          main:
            management: true
            organizationalUnits:
              workloads: {}
              workloads/prod: {}
            serviceControlPolicies:
              deny-leaving:
                document:
                  Version: "2012-10-17"
                  Statement: [{Effect: Deny, Action: "organizations:LeaveOrganization", Resource: "*"}]
                targets: ["ou:workloads"]
          production:
            email: production@example.com
            organizationalUnit: workloads/prod
        """;

    private HttpClient _http = null!;

    protected override bool AsAdministrator => true;

    protected override Task SetUpAsync()
    {
        _http = new HttpClient();
        return Task.CompletedTask;
    }

    protected override void TearDown()
    {
        _http.Dispose();
    }

    private OrganizationsClient Organizations => new(_http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);

    [Fact]
    public async Task Apply_OusAccountPlacementAndScpTarget_AreCreatedThenMovedAndRemoved()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var plan = await Harness.PlanAsync(file);
        Assert.Contains("+ ou main/workloads\n", plan.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("+ ou main/workloads/prod", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.True(apply.Output.IndexOf("creating ou main/workloads ...", StringComparison.Ordinal) < apply.Output.IndexOf("creating ou main/workloads/prod ...", StringComparison.Ordinal));
        var again = await Harness.PlanAsync(file);
        Assert.True(again.Exit == 0, again.Output);

        var units = new OrganizationalUnitHandler(Organizations);
        var workloads = (await units.FindIdAsync("workloads", CancellationToken.None))!;
        var prod = (await units.FindIdAsync("workloads/prod", CancellationToken.None))!;
        var production = (await new AccountHandler(Organizations, TimeProvider.System).FindIdAsync("production", CancellationToken.None))!;
        Assert.Equal(prod, await new AccountHandler(Organizations, TimeProvider.System).ParentAsync(production, CancellationToken.None));
        var policy = (await Organizations.ListAsync("ListPolicies", new JsonObject { ["Filter"] = "SERVICE_CONTROL_POLICY" }, "Policies", CancellationToken.None)).Single(p => p["Name"]!.GetValue<string>() == "deny-leaving");
        var targets = await Organizations.ListAsync("ListTargetsForPolicy", new JsonObject { ["PolicyId"] = policy["Id"]!.GetValue<string>() }, "Targets", CancellationToken.None);
        Assert.Equal(workloads, Assert.Single(targets)["TargetId"]!.GetValue<string>());

        var export = await Harness.ExportAsync();
        Assert.Contains("organizationalUnit: workloads/prod", export.Output, StringComparison.Ordinal);
        Assert.Contains("- ou:workloads", export.Output, StringComparison.Ordinal);
        Assert.Contains("workloads/prod: {}", export.Output, StringComparison.Ordinal);

        // Back to the root, and the inner OU removed: a move, then a deletion.
        var flat = Harness.Write("flat.yaml", Estate.Replace("      workloads/prod: {}\n", "", StringComparison.Ordinal).Replace("organizationalUnit: workloads/prod", "organizationalUnit: root", StringComparison.Ordinal));
        var change = await Harness.PlanAsync(flat);
        Assert.Contains($"    organizationalUnit: {prod} -> root", change.Output, StringComparison.Ordinal);
        Assert.Contains("- ou main/workloads/prod", change.Output, StringComparison.Ordinal);
        var moved = await Harness.ApplyDeletingAsync(flat);
        Assert.True(moved.Exit == 0, moved.Output + moved.Error);
        Assert.Equal(0, (await Harness.PlanAsync(flat)).Exit);
        Assert.Null(await units.FindIdAsync("workloads/prod", CancellationToken.None));
    }

    [Theory]
    [InlineData("    organizationalUnits:\n      a/b: {}\n", "its parent 'a' is not declared")]
    [InlineData("    organizationalUnits:\n      'a/b!': {}\n", "an OU path is names of letters")]
    [InlineData("    organizationalUnit: root\n", "the management account's place in the organization is not managed")]
    public void Parse_BadOrganizationalUnits_AreReported(string management, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n{management}", "."));

        Assert.Contains(error.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_AccountInAnUndeclaredOu_IsReported()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse("accounts:\n  main: {management: true}\n  dev: {email: dev@example.com, organizationalUnit: nowhere}\n", "."));

        Assert.Contains(error.Errors, e => e.Contains("no organizational unit 'nowhere' is declared", StringComparison.Ordinal));
    }
}
