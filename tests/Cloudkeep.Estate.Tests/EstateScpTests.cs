using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>Service control policies: created, attached to the accounts the file names, and left alone by a second apply.</summary>
public sealed class EstateScpTests : EstateServerTest
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

    protected override bool AsAdministrator => true;

    [Fact]
    public async Task Apply_Scp_IsAttachedToTheNamedAccountAndThenUnchanged()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var plan = await Harness.PlanAsync(file);
        Assert.Equal(2, plan.Exit);
        Assert.Contains("+ scp main/deny-leaving", plan.Output, StringComparison.Ordinal);
        Assert.Contains("    targets: (known after apply)", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await Harness.PlanAsync(file)).Exit);

        using var http = new HttpClient();
        var organizations = new OrganizationsClient(http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);
        var production = (await organizations.ListAccountsAsync(CancellationToken.None)).Single(a => a["Name"]!.GetValue<string>() == "production")["Id"]!.GetValue<string>();
        var attached = await organizations.CallAsync("ListPoliciesForTarget", new JsonObject { ["TargetId"] = production, ["Filter"] = "SERVICE_CONTROL_POLICY" }, CancellationToken.None);
        Assert.Contains(attached["Policies"]!.AsArray(), p => p!["Name"]!.GetValue<string>() == "deny-leaving");
    }

    [Fact]
    public async Task Apply_ScpDocumentChanged_IsUpdatedInPlaceAndExported()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        var changed = Harness.Write("changed.yaml", Estate
            .Replace("Member accounts stay in the organization", "Members stay, and keep CloudTrail", StringComparison.Ordinal)
            .Replace("Action: \"organizations:LeaveOrganization\"", "Action: [\"organizations:LeaveOrganization\", \"cloudtrail:StopLogging\"]", StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(changed);
        Assert.Contains("~ scp main/deny-leaving", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyAsync(changed);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await Harness.PlanAsync(changed)).Exit);
        var export = await Harness.ExportAsync();
        Assert.True(export.Exit == 0, export.Error);
        Assert.Contains("serviceControlPolicies:", export.Output, StringComparison.Ordinal);
        Assert.Contains("cloudtrail:StopLogging", export.Output, StringComparison.Ordinal);
        Assert.Contains("- production", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FullAWSAccess", export.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ScpLeftOut_IsDetachedAndDeletedWithAllowDelete()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        var without = Harness.Write("without.yaml", "accounts:\n  main:\n    management: true\n  production:\n    email: production@example.com\n");

        var plan = await Harness.PlanAsync(without);
        Assert.Contains("- scp main/deny-leaving", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyDeletingAsync(without);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await Harness.PlanAsync(without)).Exit);
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
