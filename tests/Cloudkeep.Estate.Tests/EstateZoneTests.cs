using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// Route 53 zones as code: the apex zone in the management account, a subdomain zone in a member
/// account, delegated from the apex with NS records naming the member zone's name servers; plan,
/// apply, a second plan with nothing to do, a changed record, and export.
/// </summary>
public sealed class EstateZoneTests : EstateServerTest
{
    private const string Estate = """
        accounts:
          main:
            management: true
            zones:
              dm.example:
                records:
                  - {name: "@", type: MX, ttl: 3600, values: ["10 mail.dm.example."]}
                  - {name: "@", type: TXT, ttl: 3600, values: ['"v=spf1 -all"']}
                  - {name: jenkins, type: A, ttl: 300, values: [192.0.2.5]}
                delegate:
                  preview: development
          development:
            email: development@example.com
            zones:
              preview.dm.example:
                records:
                  - {name: "@", type: A, ttl: 300, values: [192.0.2.10]}
                  - {name: www, type: CNAME, ttl: 300, values: [preview.dm.example]}
                  - {name: blue, type: A, ttl: 60, values: [192.0.2.11], setIdentifier: blue, weight: 100}
                  - {name: blue, type: A, ttl: 60, values: [192.0.2.12], setIdentifier: green, weight: 0}
        """;

    protected override bool AsAdministrator => true;

    [Fact]
    public async Task Apply_ApexAndDelegatedMemberZone_DelegationNamesTheChildsServers_ThenPlansNothing()
    {
        var file = Harness.Write("estate.yaml", Estate);
        var plan = await Harness.PlanAsync(file);
        Assert.True(plan.Exit == 2, plan.Output + plan.Error);
        Assert.Contains("+ zone main/dm.example", plan.Output, StringComparison.Ordinal);
        Assert.Contains("+ zone development/preview.dm.example", plan.Output, StringComparison.Ordinal);
        Assert.Contains("(known after apply)", plan.Output, StringComparison.Ordinal);

        var apply = await Harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Contains("creating zone development/preview.dm.example ... done", apply.Output, StringComparison.Ordinal);
        Assert.True(apply.Output.IndexOf("creating zone development/preview.dm.example", StringComparison.Ordinal) < apply.Output.IndexOf("creating zone main/dm.example", StringComparison.Ordinal)
            || apply.Output.Contains("updating zone main/dm.example", StringComparison.Ordinal), apply.Output);

        var again = await Harness.PlanAsync(file);
        Assert.True(again.Exit == 0, again.Output + again.Error);

        // The delegation in main names exactly the development zone's name servers.
        using var http = new HttpClient();
        var main = new Route53Client(http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);
        var apex = (await main.FindPublicZoneAsync("dm.example", CancellationToken.None))!;
        var delegation = (await main.ListRecordSetsAsync(apex.Id, CancellationToken.None)).Single(s => s.Name == "preview.dm.example." && s.Type == "NS");
        var organizations = new OrganizationsClient(http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);
        var developmentId = (await organizations.ListAccountsAsync(CancellationToken.None)).Single(a => a["Name"]!.GetValue<string>() == "development")["Id"]!.GetValue<string>();
        using var inside = await new EstateConnection(Harness.Credentials, Server.Endpoint, "us-east-1", TimeProvider.System).ForAccountAsync(developmentId, CancellationToken.None);
        var child = (await inside.Route53.FindPublicZoneAsync("preview.dm.example", CancellationToken.None))!;
        Assert.Equal(
            (await inside.Route53.NameServersAsync(child.Id, CancellationToken.None)).Select(n => n + ".").Order(StringComparer.Ordinal),
            delegation.Values.Order(StringComparer.Ordinal));
        Assert.Null(await main.FindPublicZoneAsync("preview.dm.example", CancellationToken.None));
    }

    [Fact]
    public async Task Apply_ChangedAndRemovedRecords_OneBatch_ThenExportRoundTrips()
    {
        var file = Harness.Write("estate.yaml", Estate);
        Assert.Equal(0, (await Harness.ApplyAsync(file)).Exit);

        var changed = Harness.Write("estate.yaml", string.Join('\n', Estate
            .Replace("values: [192.0.2.5]", "values: [192.0.2.6]", StringComparison.Ordinal)
            .Split('\n').Where(l => !l.Contains("type: TXT", StringComparison.Ordinal))));
        var plan = await Harness.PlanAsync(changed);
        Assert.True(plan.Exit == 2, plan.Output + plan.Error);
        Assert.Contains("~ zone main/dm.example", plan.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 1 to update, 0 to delete.", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyAsync(changed);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await Harness.PlanAsync(changed)).Exit);

        var export = await Harness.ExportAsync();
        Assert.True(export.Exit == 0, export.Output + export.Error);
        Assert.Contains("${zone.development.preview.dm.example.nameServers}", export.Output, StringComparison.Ordinal);
        Assert.Contains("192.0.2.6", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("v=spf1", export.Output, StringComparison.Ordinal);
        var exported = Harness.Write("exported.yaml", export.Output);
        var replan = await Harness.PlanAsync(exported);
        Assert.True(replan.Exit == 0, replan.Output + replan.Error);
    }
}
