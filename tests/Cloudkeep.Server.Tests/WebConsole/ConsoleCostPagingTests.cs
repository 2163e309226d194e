using System.Globalization;
using System.Net;
using Cloudkeep.Services.Billing;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>
/// The console's Cost Explorer reads every page of GetCostAndUsage: with one group a page, so each
/// period comes over several pages, the table is the one a single page draws.
/// </summary>
public sealed class ConsoleCostPagingTests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";

    private TestServer _server = null!;
    private ConsoleClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(metering: false);
        _admin = await ConsoleClient.SignedInAdministratorAsync(_server, "admin", Password);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CostExplorerPage_OneGroupAPage_DrawsTheSameTableAsOnePage()
    {
        var day = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-5);
        var rows = new List<UsageRecord>();
        for (var d = 0; d < 3; d++)
        {
            foreach (var (service, type, quantity) in new[] { (UsageTypes.Kms, "KMS-Keys", 1.0), (UsageTypes.S3, "Requests-Tier1", 2000.0), (UsageTypes.S3, "Requests-Tier2", 5000.0) })
            {
                rows.Add(new UsageRecord(_server.AccountId, "us-east-1", service, type, "", day.AddDays(d).AddHours(9), quantity * (d + 1)));
            }
        }

        await new UsageRepository(_server.Server.Services.GetRequiredService<IMetadataStore>()).AddAsync(rows, CancellationToken.None);
        string Day(int offset) => day.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var path = $"/console/costs?start={Day(0)}&end={Day(3)}&granularity=DAILY&group=SERVICE&group2=USAGE_TYPE";

        var whole = await _admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, whole.Status);
        var costs = _server.Server.Services.GetRequiredService<CostExplorerContext>();
        costs.GroupsPerPage = 1;
        try
        {
            var paged = await _admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, paged.Status);
            Assert.Equal(Table(whole.Body), Table(paged.Body));
            Assert.Contains("Amazon Simple Storage Service / Requests-Tier2", Table(paged.Body), StringComparison.Ordinal);
            // Three groups and the totals row.
            Assert.Equal(4, Table(paged.Body).Split("<tr><th scope=\"row\">").Length - 1);
        }
        finally
        {
            costs.GroupsPerPage = 1000;
        }
    }

    private static string Table(string page)
    {
        var start = page.IndexOf("<table id=\"costs\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no cost table on the page");
        return page[start..page.IndexOf("</table>", start, StringComparison.Ordinal)];
    }
}
