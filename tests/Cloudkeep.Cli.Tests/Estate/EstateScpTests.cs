using System.Text.Json.Nodes;
using Cloudkeep.Cli.Estate;
using Cloudkeep.Testing;

namespace Cloudkeep.Cli.Tests.Estate;

/// <summary>Service control policies: created, attached to the accounts the file names, and left alone by a second apply.</summary>
public sealed class EstateScpTests : IAsyncLifetime
{
    private const string Estate = """
        accounts:
          main:
            management: true
            serviceControlPolicies:
              deny-leaving:
                description: Member accounts stay in the organization
                document:
                  Version: "2012-10-17"
                  Statement: [{Effect: Deny, Action: "organizations:LeaveOrganization", Resource: "*"}]
                targets: [production]
          production:
            email: production@example.com
        """;

    private TestServer _server = null!;
    private EstateHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _harness = new EstateHarness(_server);
        await _harness.UseAdministratorAsync();
    }

    public async Task DisposeAsync()
    {
        _harness.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Apply_Scp_IsAttachedToTheNamedAccountAndThenUnchanged()
    {
        var file = _harness.Write("estate.yaml", Estate);

        var plan = await _harness.PlanAsync(file);
        Assert.Equal(2, plan.Exit);
        Assert.Contains("+ scp main/deny-leaving", plan.Output, StringComparison.Ordinal);
        Assert.Contains("    targets: (known after apply)", plan.Output, StringComparison.Ordinal);
        var apply = await _harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await _harness.PlanAsync(file)).Exit);

        using var http = new HttpClient();
        var organizations = new OrganizationsClient(http, new Uri(_server.Endpoint), _harness.Credentials, TimeProvider.System);
        var production = (await organizations.ListAccountsAsync(CancellationToken.None)).Single(a => a["Name"]!.GetValue<string>() == "production")["Id"]!.GetValue<string>();
        var attached = await organizations.CallAsync("ListPoliciesForTarget", new JsonObject { ["TargetId"] = production, ["Filter"] = "SERVICE_CONTROL_POLICY" }, CancellationToken.None);
        Assert.Contains(attached["Policies"]!.AsArray(), p => p!["Name"]!.GetValue<string>() == "deny-leaving");
    }

    [Fact]
    public async Task Apply_ScpDocumentChanged_IsUpdatedInPlaceAndExported()
    {
        Assert.Equal(0, (await _harness.ApplyAsync(_harness.Write("estate.yaml", Estate))).Exit);
        var changed = _harness.Write("changed.yaml", Estate
            .Replace("Member accounts stay in the organization", "Members stay, and keep CloudTrail", StringComparison.Ordinal)
            .Replace("Action: \"organizations:LeaveOrganization\"", "Action: [\"organizations:LeaveOrganization\", \"cloudtrail:StopLogging\"]", StringComparison.Ordinal));

        var plan = await _harness.PlanAsync(changed);
        Assert.Contains("~ scp main/deny-leaving", plan.Output, StringComparison.Ordinal);
        var apply = await _harness.ApplyAsync(changed);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await _harness.PlanAsync(changed)).Exit);
        var export = await _harness.ExportAsync();
        Assert.True(export.Exit == 0, export.Error);
        Assert.Contains("serviceControlPolicies:", export.Output, StringComparison.Ordinal);
        Assert.Contains("cloudtrail:StopLogging", export.Output, StringComparison.Ordinal);
        Assert.Contains("- production", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FullAWSAccess", export.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ScpLeftOut_IsDetachedAndDeletedWithAllowDelete()
    {
        Assert.Equal(0, (await _harness.ApplyAsync(_harness.Write("estate.yaml", Estate))).Exit);
        var without = _harness.Write("without.yaml", "accounts:\n  main:\n    management: true\n  production:\n    email: production@example.com\n");

        var plan = await _harness.PlanAsync(without);
        Assert.Contains("- scp main/deny-leaving", plan.Output, StringComparison.Ordinal);
        var apply = await _harness.ApplyDeletingAsync(without);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await _harness.PlanAsync(without)).Exit);
    }

    [Fact]
    public void Parse_ScpInAMemberAccount_IsRefused()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse("""
            accounts:
              main: {management: true}
              production:
                email: production@example.com
                serviceControlPolicies:
                  p: {document: {Version: "2012-10-17", Statement: []}}
            """, "."));

        Assert.Contains(error.Errors, e => e.Contains("service control policies belong to the management account", StringComparison.Ordinal));
    }
}
