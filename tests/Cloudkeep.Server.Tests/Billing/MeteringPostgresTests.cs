using System.Globalization;
using Cloudkeep.Services.Billing;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Billing;

/// <summary>Metering's SQL on PostgreSQL as well as SQLite: counts added by the flush, hours set by the roll-up, costs read back.</summary>
public sealed class MeteringPostgresTests
{
    [Fact]
    public async Task MeteringAndCostExplorer_OnPostgres()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var server = await TestServer.StartAsync(database: database, time: new ShiftableClock(), meteringFlushInterval: TimeSpan.Zero);
        var root = Cli.Root(server);
        await root.RunAsync("s3api", "create-bucket", "--bucket", "pg-costs", "--region", "us-east-1");
        await root.RunAsync("s3api", "put-object", "--bucket", "pg-costs", "--key", "k", "--body", "/etc/hostname", "--region", "us-east-1");
        await root.RunAsync("kms", "create-key", "--region", "us-east-1");
        var services = server.Server.Services;
        var meter = services.GetRequiredService<UsageMeter>();
        await meter.FlushAsync(CancellationToken.None);
        await root.RunAsync("s3api", "get-object", "--bucket", "pg-costs", "--key", "k", "--region", "us-east-1", Path.Combine(Path.GetTempPath(), "pg-costs-k"));
        await meter.FlushAsync(CancellationToken.None);

        var now = DateTimeOffset.UtcNow;
        var hour = UsageRollup.HourOf(now);
        await services.GetRequiredService<SettingsRepository>().SetAsync(UsageRollup.NextHourSetting, hour.AddDays(-2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        var rollup = services.GetRequiredService<UsageRollup>();
        Assert.Equal(48, await rollup.RunAsync(now, CancellationToken.None));
        Assert.Equal(0, await rollup.RunAsync(now, CancellationToken.None));

        var rows = await new UsageRepository(services.GetRequiredService<IMetadataStore>()).QueryAsync(hour.AddDays(-3), hour.AddDays(1), null, CancellationToken.None);
        Assert.Equal(2, rows.Where(r => r.Service == UsageTypes.S3 && r.UsageType == "Requests-Tier1").Sum(r => r.Quantity));
        Assert.Equal(1, rows.Where(r => r.Service == UsageTypes.S3 && r.UsageType == "Requests-Tier2").Sum(r => r.Quantity));
        Assert.Equal(48, rows.Count(r => r.UsageType == "KMS-Keys"));

        var prices = PriceList.Embedded();
        var expected = rows.Where(r => r.Service == UsageTypes.Kms).Sum(r => (decimal)r.Quantity * prices.UnitPrice(r.Service, r.UsageType));
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var answer = await root.RunAsync("ce", "get-cost-and-usage", "--time-period",
            $"Start={today.AddDays(-3):yyyy-MM-dd},End={today.AddDays(1):yyyy-MM-dd}", "--granularity", "MONTHLY", "--metrics", "UnblendedCost",
            "--filter", """{"Dimensions": {"Key": "SERVICE", "Values": ["AWS Key Management Service"]}}""");
        var answered = answer.GetProperty("ResultsByTime").EnumerateArray()
            .Sum(p => decimal.Parse(p.GetProperty("Total").GetProperty("UnblendedCost").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture));
        Assert.True(Math.Abs(expected - answered) < 0.000000001m, $"metered {expected}, answered {answered}");
        Assert.True(answered > 0.06m);

        // The forecast starts from the first metered hour.
        var forecast = await root.RunAsync("ce", "get-cost-forecast", "--time-period", $"Start={today.AddDays(1):yyyy-MM-dd},End={today.AddDays(4):yyyy-MM-dd}",
            "--metric", "UNBLENDED_COST", "--granularity", "DAILY");
        Assert.Equal(3, forecast.GetProperty("ForecastResultsByTime").GetArrayLength());
        Assert.True(decimal.Parse(forecast.GetProperty("Total").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture) > 0);
    }
}
