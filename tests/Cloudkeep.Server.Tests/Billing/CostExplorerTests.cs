using System.Globalization;
using System.Text.Json;
using Cloudkeep.Services.Billing;
using Cloudkeep.Services.CloudWatch;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Billing;

/// <summary>
/// Metering and Cost Explorer end to end: usage made through the AWS CLI by the management account
/// and a member account, counted on the request path and flushed, a month of stored sizes rolled up
/// on a clock moved a month on in seconds, and Cost Explorer's answers (boto3 and the CLI) compared
/// with the metered rows times the shipped price list.
/// </summary>
public sealed class CostExplorerTests : IAsyncLifetime
{
    private const string Management = "111122223333";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly ShiftableClock _clock = new();
    private TestServer _server = null!;
    private Cli _root = null!;

    public async Task InitializeAsync()
    {
        // Neither job runs by itself: the test flushes and rolls up when it has made its usage.
        _server = await TestServer.StartAsync(time: _clock, meteringFlushInterval: TimeSpan.Zero);
        _root = Cli.Root(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private UsageMeter Meter => _server.Server.Services.GetRequiredService<UsageMeter>();

    private UsageRollup Rollup => _server.Server.Services.GetRequiredService<UsageRollup>();

    private UsageRepository Usage => new(_server.Server.Services.GetRequiredService<IMetadataStore>());

    [Fact]
    public async Task GetCostAndUsage_MonthOnAFakeClock_GroupedByAccountAndServiceEqualsUsageTimesPriceList()
    {
        await Rollup.RunAsync(_clock.GetUtcNow(), CancellationToken.None);
        var (member, memberAdmin) = await MemberAccounts.CreateAsync(_root, "costs-member");
        var body = Path.GetTempFileName();
        await File.WriteAllBytesAsync(body, new byte[1024 * 1024]);
        try
        {
            await _root.RunAsync("s3api", "create-bucket", "--bucket", "costs-root", "--region", "us-east-1");
            await _root.RunAsync("s3api", "put-object", "--bucket", "costs-root", "--key", "one", "--body", body, "--region", "us-east-1");
            foreach (var i in Enumerable.Range(0, 3))
            {
                await _root.RunAsync("s3api", "get-object", "--bucket", "costs-root", "--key", "one", "--region", "us-east-1", Path.Combine(Path.GetTempPath(), "costs-" + i));
            }

            var key = (await _root.RunAsync("kms", "create-key")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
            await _root.RunAsync("kms", "encrypt", "--key-id", key, "--plaintext", "aGVsbG8=");
            await _root.RunAsync("cloudwatch", "put-metric-data", "--namespace", "Costs", "--metric-name", "Orders", "--value", "1", "--region", "us-east-1");
            await _root.RunAsync("sns", "create-topic", "--name", "costs");
            await _root.RunAsync("sns", "publish", "--topic-arn", $"arn:aws:sns:eu-west-1:{Management}:costs", "--message", "hello");

            await memberAdmin.RunAsync("s3api", "create-bucket", "--bucket", "costs-member", "--create-bucket-configuration", "LocationConstraint=eu-west-2", "--region", "eu-west-2");
            await memberAdmin.RunAsync("s3api", "put-bucket-tagging", "--bucket", "costs-member", "--tagging", "TagSet=[{Key=team,Value=blue}]", "--region", "eu-west-2");
            await memberAdmin.RunAsync("s3api", "put-object", "--bucket", "costs-member", "--key", "two", "--body", body, "--region", "eu-west-2");
        }
        finally
        {
            File.Delete(body);
        }

        await Meter.FlushAsync(CancellationToken.None);
        var start = _clock.GetUtcNow();

        // A month passes in seconds: the roll-up fills each hour with what is stored.
        _clock.Offset = TimeSpan.FromDays(30);
        Assert.InRange(await Rollup.RunAsync(_clock.GetUtcNow(), CancellationToken.None), 720, 721);
        var billing = _server.Server.Services.GetRequiredService<BillingMetrics>();
        Assert.True(billing.Enabled);
        await billing.PublishAsync(_clock.GetUtcNow(), CancellationToken.None);
        _clock.Offset = TimeSpan.Zero;

        var from = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        var to = from.AddDays(32);
        var rows = await Usage.QueryAsync(from, to, null, CancellationToken.None);
        var prices = PriceList.Embedded();
        var expected = rows.GroupBy(r => (r.AccountId, r.Service))
            .ToDictionary(g => g.Key, g => g.Sum(r => (decimal)r.Quantity * prices.UnitPrice(r.Service, r.UsageType)));

        // What the request path counted, exactly.
        double Quantity(string account, string usageType, string service = UsageTypes.S3) => rows.Where(r => r.AccountId == account && r.UsageType == usageType && r.Service == service).Sum(r => r.Quantity);
        Assert.Equal(2, Quantity(Management, "Requests-Tier1"));
        Assert.Equal(3, Quantity(Management, "Requests-Tier2"));
        Assert.Equal(3.0 / 1024, Quantity(Management, "DataTransfer-Out-Bytes"), 9);
        Assert.Equal(2, Quantity(Management, "EU-KMS-Requests", UsageTypes.Kms));
        Assert.Equal(1, Quantity(Management, "EU-Requests-Tier1", UsageTypes.Sns));
        Assert.Equal(3, Quantity(member, "EUW2-Requests-Tier1"));

        // A month of 1 MiB in S3 Standard is 1/1024 GB-Mo; the key is one key-month.
        foreach (var (usageType, perMonth) in new[] { ("TimedStorage-ByteHrs", 1.0 / 1024), ("EU-KMS-Keys", 1.0), ("CW:MetricMonitorUsage", 1.0) })
        {
            var hourly = rows.Where(r => r.AccountId == Management && r.UsageType == usageType).ToList();
            Assert.InRange(hourly.Count, 720, 721);
            Assert.All(hourly, r => Assert.Equal(perMonth / UsageTypes.HoursInMonth(r.Hour), r.Quantity, 12));
        }

        var memberStorage = rows.Where(r => r.AccountId == member && r.UsageType == "EUW2-TimedStorage-ByteHrs").ToList();
        Assert.InRange(memberStorage.Count, 720, 721);
        Assert.All(memberStorage, r => Assert.Equal("{\"team\":\"blue\"}", r.Tags));

        var answer = await Boto3.RunAsync(_server, $$"""
            ce = boto3.client('ce', endpoint_url=ENDPOINT, region_name='us-east-1')
            r = ce.get_cost_and_usage(TimePeriod={'Start': '{{Day(from)}}', 'End': '{{Day(to)}}'}, Granularity='MONTHLY',
                Metrics=['UnblendedCost', 'BlendedCost', 'UsageQuantity'],
                GroupBy=[{'Type': 'DIMENSION', 'Key': 'LINKED_ACCOUNT'}, {'Type': 'DIMENSION', 'Key': 'SERVICE'}])
            print(json.dumps({'groups': [g for p in r['ResultsByTime'] for g in p['Groups']], 'definitions': r['GroupDefinitions'],
                'attributes': r['DimensionValueAttributes'], 'periods': len(r['ResultsByTime'])}))
            """);
        var answered = new Dictionary<(string, string), decimal>();
        foreach (var group in answer.GetProperty("groups").EnumerateArray())
        {
            var keys = (group.GetProperty("Keys")[0].GetString()!, group.GetProperty("Keys")[1].GetString()!);
            var metrics = group.GetProperty("Metrics");
            Assert.Equal("USD", metrics.GetProperty("UnblendedCost").GetProperty("Unit").GetString());
            Assert.Equal(metrics.GetProperty("UnblendedCost").GetProperty("Amount").GetString(), metrics.GetProperty("BlendedCost").GetProperty("Amount").GetString());
            answered[keys] = answered.GetValueOrDefault(keys) + decimal.Parse(metrics.GetProperty("UnblendedCost").GetProperty("Amount").GetString()!, Invariant);
        }

        Assert.Equal(expected.Keys.OrderBy(k => k).ToList(), answered.Keys.OrderBy(k => k).ToList());
        foreach (var (group, cost) in expected)
        {
            Assert.True(Math.Abs(cost - answered[group]) < 0.000000001m, $"{group}: metered {cost}, answered {answered[group]}");
        }

        Assert.True(expected[(Management, UsageTypes.S3)] > 0);
        Assert.True(expected[(Management, UsageTypes.Kms)] > 0.9m);
        Assert.Contains(answer.GetProperty("attributes").EnumerateArray(), a => a.GetProperty("Value").GetString() == member && a.GetProperty("Attributes").GetProperty("description").GetString() == "costs-member");

        // A member account sees its own costs only; the management account sees the organization's.
        var seen = await memberAdmin.RunAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Day(from)},End={Day(to)}", "--granularity", "MONTHLY",
            "--metrics", "UnblendedCost", "--group-by", "Type=DIMENSION,Key=LINKED_ACCOUNT");
        Assert.Equal([member], seen.GetProperty("ResultsByTime").EnumerateArray().SelectMany(p => p.GetProperty("Groups").EnumerateArray()).Select(g => g.GetProperty("Keys")[0].GetString()).Distinct());

        // The member's bucket carries its tag into the costs.
        var tagged = await _root.RunAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Day(from)},End={Day(to)}", "--granularity", "MONTHLY",
            "--metrics", "UsageQuantity", "--group-by", "Type=TAG,Key=team", "--filter", """{"Dimensions": {"Key": "LINKED_ACCOUNT", "Values": ["MEMBER"]}}""".Replace("MEMBER", member, StringComparison.Ordinal));
        var tagKeys = tagged.GetProperty("ResultsByTime").EnumerateArray().SelectMany(p => p.GetProperty("Groups").EnumerateArray()).Select(g => g.GetProperty("Keys")[0].GetString()).Distinct().Order().ToList();
        Assert.Equal(["team$", "team$blue"], tagKeys);

        // AWS/Billing EstimatedCharges was published in us-east-1 for the month to date of the moved clock.
        var cloudWatch = _server.Server.Services.GetRequiredService<CloudWatchContext>();
        var published = await cloudWatch.Repository.ListMetricsAsync(Management, "us-east-1", "AWS/Billing", null, DateTimeOffset.UnixEpoch, CancellationToken.None);
        Assert.Contains(published, m => m.Name == "EstimatedCharges" && m.Dimensions.Contains("AmazonS3", StringComparison.Ordinal));
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", Invariant);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Invariant);

    /// <summary>Backdates the roll-up 30 days, so the month before today holds usage (forecasts read history).</summary>
    private async Task<DateTimeOffset> MonthOfHistoryAsync()
    {
        await _root.RunAsync("s3api", "create-bucket", "--bucket", "history", "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        await _root.RunAsync("s3api", "put-bucket-tagging", "--bucket", "history", "--tagging", "TagSet=[{Key=project,Value=atlas}]");
        await _root.RunAsync("s3api", "put-object", "--bucket", "history", "--key", "k", "--body", "/etc/hostname");
        await _root.RunAsync("kms", "create-key");
        await Meter.FlushAsync(CancellationToken.None);
        var now = _clock.GetUtcNow();
        var monthAgo = UsageRollup.HourOf(now).AddDays(-30);
        var settings = _server.Server.Services.GetRequiredService<SettingsRepository>();
        await settings.SetAsync(UsageRollup.NextHourSetting, monthAgo.ToUnixTimeSeconds().ToString(Invariant), CancellationToken.None);
        Assert.Equal(720, await Rollup.RunAsync(now, CancellationToken.None));
        return now;
    }

    [Fact]
    public async Task CostExplorer_EveryOperation_ThroughTheCli()
    {
        var now = await MonthOfHistoryAsync();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var period = $"Start={Day(today.AddDays(-30))},End={Day(today.AddDays(1))}";

        var services = await _root.RunAsync("ce", "get-dimension-values", "--time-period", period, "--dimension", "SERVICE");
        Assert.Equal([UsageTypes.CloudTrail, UsageTypes.Kms, UsageTypes.S3], services.GetProperty("DimensionValues").EnumerateArray().Select(v => v.GetProperty("Value").GetString()).Order().ToList());
        Assert.Equal(3, services.GetProperty("TotalSize").GetInt32());
        var searched = await _root.RunAsync("ce", "get-dimension-values", "--time-period", period, "--dimension", "USAGE_TYPE", "--search-string", "timedstorage");
        Assert.Equal(["EU-TimedStorage-ByteHrs"], searched.GetProperty("DimensionValues").EnumerateArray().Select(v => v.GetProperty("Value").GetString()));
        var accounts = await _root.RunAsync("ce", "get-dimension-values", "--time-period", period, "--dimension", "LINKED_ACCOUNT");
        Assert.Equal(Management, accounts.GetProperty("DimensionValues")[0].GetProperty("Value").GetString());

        var keys = await _root.RunAsync("ce", "get-tags", "--time-period", period);
        Assert.Equal(["project"], keys.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
        var values = await _root.RunAsync("ce", "get-tags", "--time-period", period, "--tag-key", "project");
        Assert.Equal(["atlas"], values.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));

        var daily = await _root.RunAsync("ce", "get-cost-and-usage", "--time-period", period, "--granularity", "DAILY", "--metrics", "UnblendedCost", "UsageQuantity",
            "--filter", """{"And": [{"Dimensions": {"Key": "SERVICE", "Values": ["AWS Key Management Service"]}}, {"Not": {"Dimensions": {"Key": "USAGE_TYPE", "Values": ["EU-KMS-Requests"]}}}]}""");
        var days = daily.GetProperty("ResultsByTime").EnumerateArray().ToList();
        Assert.Equal(31, days.Count);
        var keyMonth = days.Sum(d => decimal.Parse(d.GetProperty("Total").GetProperty("UnblendedCost").GetProperty("Amount").GetString()!, Invariant));
        var expectedKeyMonth = Enumerable.Range(0, 720).Sum(h => 1m / UsageTypes.HoursInMonth(UsageRollup.HourOf(now).AddDays(-30).AddHours(h)));
        Assert.True(Math.Abs(keyMonth - expectedKeyMonth) < 0.000001m, $"{keyMonth} against {expectedKeyMonth}");
        Assert.Equal("Keys", days[0].GetProperty("Total").GetProperty("UsageQuantity").GetProperty("Unit").GetString());

        var hourly = await _root.RunAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Iso(UsageRollup.HourOf(now).AddHours(-3))},End={Iso(UsageRollup.HourOf(now))}",
            "--granularity", "HOURLY", "--metrics", "UsageQuantity", "--group-by", "Type=DIMENSION,Key=USAGE_TYPE");
        Assert.Equal(3, hourly.GetProperty("ResultsByTime").GetArrayLength());

        var forecast = await _root.RunAsync("ce", "get-cost-forecast", "--time-period", $"Start={Day(today)},End={Day(today.AddDays(10))}", "--metric", "UNBLENDED_COST",
            "--granularity", "DAILY", "--prediction-interval-level", "90");
        Assert.Equal(10, forecast.GetProperty("ForecastResultsByTime").GetArrayLength());
        var total = decimal.Parse(forecast.GetProperty("Total").GetProperty("Amount").GetString()!, Invariant);
        Assert.True(total > 0.2m && total < 0.5m, $"ten days of one key and a little storage: {total}");

        // AWS/Billing EstimatedCharges, read back as a billing alarm would read it.
        await _server.Server.Services.GetRequiredService<BillingMetrics>().PublishAsync(_clock.GetUtcNow(), CancellationToken.None);
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var prices = PriceList.Embedded();
        var monthToDate = (await Usage.QueryAsync(monthStart, _clock.GetUtcNow(), [Management], CancellationToken.None)).Sum(r => (double)((decimal)r.Quantity * prices.UnitPrice(r.Service, r.UsageType)));
        var charges = await _root.RunAsync("cloudwatch", "get-metric-statistics", "--region", "us-east-1", "--namespace", "AWS/Billing", "--metric-name", "EstimatedCharges",
            "--dimensions", "Name=Currency,Value=USD", "--start-time", Iso(now.AddHours(-1)), "--end-time", Iso(now.AddHours(1)), "--period", "3600", "--statistics", "Maximum");
        Assert.Equal(monthToDate, charges.GetProperty("Datapoints")[0].GetProperty("Maximum").GetDouble(), 6);
    }

    [Fact]
    public async Task GetCostAndUsage_PagedBySmallPages_SplitsPeriodsAndMergesToTheOnePageAnswer()
    {
        var now = await MonthOfHistoryAsync();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var costs = _server.Server.Services.GetRequiredService<CostExplorerContext>();
        var request = $$"""
            ce = boto3.client('ce', endpoint_url=ENDPOINT, region_name='us-east-1')
            ask = dict(TimePeriod={'Start': '{{Day(today.AddDays(-30))}}', 'End': '{{Day(today.AddDays(1))}}'}, Granularity='DAILY',
                Metrics=['UnblendedCost', 'UsageQuantity'], GroupBy=[{'Type': 'DIMENSION', 'Key': 'USAGE_TYPE'}, {'Type': 'DIMENSION', 'Key': 'REGION'}])
            pages, rows, token = [], [], None
            while True:
                r = ce.get_cost_and_usage(**ask, **({'NextPageToken': token} if token else {}))
                pages.append(sum(max(1, len(p['Groups'])) for p in r['ResultsByTime']))
                rows += [(p['TimePeriod']['Start'], '|'.join(g['Keys']), g['Metrics']['UnblendedCost']['Amount']) for p in r['ResultsByTime'] for g in p['Groups']]
                rows += [(p['TimePeriod']['Start'], '', '') for p in r['ResultsByTime'] if not p['Groups']]
                token = r.get('NextPageToken')
                if not token:
                    break
            print(json.dumps({'pages': pages, 'rows': sorted(rows)}))
            """;
        var whole = await Boto3.RunAsync(_server, request);
        Assert.Single(whole.GetProperty("pages").EnumerateArray());

        costs.GroupsPerPage = 7;
        try
        {
            var paged = await Boto3.RunAsync(_server, request);
            var sizes = paged.GetProperty("pages").EnumerateArray().Select(p => p.GetInt32()).ToList();
            Assert.True(sizes.Count > 3, $"{sizes.Count} pages");
            Assert.All(sizes, size => Assert.InRange(size, 1, 7));
            Assert.Equal(whole.GetProperty("rows").ToString(), paged.GetProperty("rows").ToString());
            var rows = paged.GetProperty("rows").EnumerateArray().Select(r => (r[0].GetString(), r[1].GetString())).ToList();
            Assert.Equal(rows.Count, rows.Distinct().Count());

            // The CLI does not page Cost Explorer by itself: it hands the token back as given.
            var first = await _root.RunAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Day(today.AddDays(-30))},End={Day(today.AddDays(1))}",
                "--granularity", "DAILY", "--metrics", "UnblendedCost", "--group-by", "Type=DIMENSION,Key=USAGE_TYPE");
            var token = first.GetProperty("NextPageToken").GetString()!;
            var second = await _root.RunAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Day(today.AddDays(-30))},End={Day(today.AddDays(1))}",
                "--granularity", "DAILY", "--metrics", "UnblendedCost", "--group-by", "Type=DIMENSION,Key=USAGE_TYPE", "--next-page-token", token);
            // The second page goes on where the first stopped: from the first page's last period (split) or the one after.
            static string Start(JsonElement result) => result.GetProperty("TimePeriod").GetProperty("Start").GetString()!;
            Assert.True(string.CompareOrdinal(Start(second.GetProperty("ResultsByTime")[0]), Start(first.GetProperty("ResultsByTime").EnumerateArray().Last())) >= 0);
            Assert.True(string.CompareOrdinal(Start(second.GetProperty("ResultsByTime")[0]), Start(first.GetProperty("ResultsByTime")[0])) > 0);

            // The same token with other parameters: RequestChangedException.
            Assert.Contains("RequestChangedException", await _root.FailAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Day(today.AddDays(-30))},End={Day(today.AddDays(1))}",
                "--granularity", "MONTHLY", "--metrics", "UnblendedCost", "--group-by", "Type=DIMENSION,Key=USAGE_TYPE", "--next-page-token", token), StringComparison.Ordinal);
        }
        finally
        {
            costs.GroupsPerPage = 1000;
        }

        // Dimension values and tags page by MaxResults; TotalSize counts them all.
        var values = await Boto3.RunAsync(_server, $$"""
            ce = boto3.client('ce', endpoint_url=ENDPOINT, region_name='us-east-1')
            period = {'Start': '{{Day(today.AddDays(-30))}}', 'End': '{{Day(today.AddDays(1))}}'}
            seen, sizes, token = [], [], None
            while True:
                r = ce.get_dimension_values(TimePeriod=period, Dimension='USAGE_TYPE', MaxResults=2, **({'NextPageToken': token} if token else {}))
                seen += [v['Value'] for v in r['DimensionValues']]
                sizes.append((r['ReturnSize'], r['TotalSize']))
                token = r.get('NextPageToken')
                if not token:
                    break
            whole = [v['Value'] for v in ce.get_dimension_values(TimePeriod=period, Dimension='USAGE_TYPE')['DimensionValues']]
            tags = ce.get_tags(TimePeriod=period, MaxResults=1)
            print(json.dumps({'seen': seen, 'whole': whole, 'sizes': sizes, 'tags': tags['Tags'], 'tagToken': tags.get('NextPageToken')}))
            """);
        var all = values.GetProperty("whole").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(all.Count > 2, string.Join(", ", all));
        Assert.Equal(all, values.GetProperty("seen").EnumerateArray().Select(v => v.GetString()).ToList());
        Assert.All(values.GetProperty("sizes").EnumerateArray(), s => Assert.Equal(all.Count, s[1].GetInt32()));
        Assert.Equal(["project"], values.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(JsonValueKind.Null, values.GetProperty("tagToken").ValueKind);
    }

    /// <summary>Bad input, a boto3 call and the code Cost Explorer answers it with.</summary>
    private static readonly (string Case, string Call, string Code)[] BadInput =
    [
        ("end before start", "ce.get_cost_and_usage, TimePeriod={'Start': '2026-05-02', 'End': '2026-05-01'}, Granularity='DAILY', Metrics=['UnblendedCost']", "ValidationException"),
        ("no such day", "ce.get_cost_and_usage, TimePeriod={'Start': '2026-13-01', 'End': '2026-14-01'}, Granularity='DAILY', Metrics=['UnblendedCost']", "ValidationException"),
        ("hourly in days", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='HOURLY', Metrics=['UnblendedCost']", "ValidationException"),
        ("weekly", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='WEEKLY', Metrics=['UnblendedCost']", "ValidationException"),
        ("unknown metric", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['Cost']", "ValidationException"),
        ("three groups", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], GroupBy=[{'Type': 'DIMENSION', 'Key': 'SERVICE'}, {'Type': 'DIMENSION', 'Key': 'REGION'}, {'Type': 'DIMENSION', 'Key': 'USAGE_TYPE'}]", "ValidationException"),
        ("group by AZ", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], GroupBy=[{'Type': 'DIMENSION', 'Key': 'AZ'}]", "ValidationException"),
        ("group by cost category", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], GroupBy=[{'Type': 'COST_CATEGORY', 'Key': 'c'}]", "ValidationException"),
        ("filter with two roots", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], Filter={'Dimensions': {'Key': 'SERVICE', 'Values': ['x']}, 'Tags': {'Key': 't', 'Values': ['v']}}", "ValidationException"),
        ("And of one", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], Filter={'And': [{'Dimensions': {'Key': 'SERVICE', 'Values': ['x']}}]}", "ValidationException"),
        ("dimension without values", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], Filter={'Dimensions': {'Key': 'SERVICE', 'Values': []}}", "ValidationException"),
        ("a token never given", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], NextPageToken='abc'", "InvalidNextTokenException"),
        ("a token of JSON without a position", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], NextPageToken=b64('{\"r\": 1}')", "InvalidNextTokenException"),
        ("a token of another request", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], NextPageToken=b64('{\"r\": \"0\", \"a\": \"0\"}')", "RequestChangedException"),
        ("a token with a bad position", "ce.get_cost_and_usage, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost'], NextPageToken=forged(dict(TimePeriod={'Start': TODAY, 'End': TOMORROW}, Granularity='DAILY', Metrics=['UnblendedCost']), 'x/y')", "InvalidNextTokenException"),
        ("a token over the model's 8192", "ce.get_dimension_values, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Dimension='SERVICE', NextPageToken='A' * 9000", "ValidationException"),
        ("values a page of 0", "ce.get_dimension_values, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Dimension='SERVICE', MaxResults=0", "ValidationException"),
        ("values a page of 1001", "ce.get_dimension_values, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Dimension='SERVICE', MaxResults=1001", "ValidationException"),
        ("tags a page of 1001", "ce.get_tags, TimePeriod={'Start': TODAY, 'End': TOMORROW}, MaxResults=1001", "ValidationException"),
        ("a tags token in values", "ce.get_dimension_values, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Dimension='SERVICE', NextPageToken=forged(dict(TimePeriod={'Start': TODAY, 'End': TOMORROW}), 'a')", "RequestChangedException"),
        ("hourly a month back", "ce.get_cost_and_usage, TimePeriod={'Start': MONTH_AGO + 'T00:00:00Z', 'End': TODAY + 'T00:00:00Z'}, Granularity='HOURLY', Metrics=['UnblendedCost']", "DataUnavailableException"),
        ("values of AZ", "ce.get_dimension_values, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Dimension='AZ'", "ValidationException"),
        ("tags ending before they start", "ce.get_tags, TimePeriod={'Start': TOMORROW, 'End': TODAY}", "ValidationException"),
        ("forecast of the past", "ce.get_cost_forecast, TimePeriod={'Start': MONTH_AGO, 'End': TOMORROW}, Metric='UNBLENDED_COST', Granularity='DAILY'", "ValidationException"),
        ("hourly forecast", "ce.get_cost_forecast, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Metric='UNBLENDED_COST', Granularity='HOURLY'", "ValidationException"),
        ("usage forecast", "ce.get_cost_forecast, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Metric='USAGE_QUANTITY', Granularity='DAILY'", "ValidationException"),
        ("forecast with no history", "ce.get_cost_forecast, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Metric='UNBLENDED_COST', Granularity='DAILY', Filter={'Dimensions': {'Key': 'SERVICE', 'Values': ['Nothing']}}", "DataUnavailableException"),
        ("interval level 50", "ce.get_cost_forecast, TimePeriod={'Start': TODAY, 'End': TOMORROW}, Metric='UNBLENDED_COST', Granularity='DAILY', PredictionIntervalLevel=50", "ValidationException"),
        ("anomalies are not served", "ce.get_anomalies, DateInterval={'StartDate': TODAY}", "NotImplemented"),
    ];

    [Fact]
    public async Task BadInput_Table_GetsCostExplorersErrorCodes()
    {
        await MonthOfHistoryAsync();
        var today = _clock.GetUtcNow();
        await Boto3.AssertErrorTableAsync(_server, $$"""
            ce = boto3.client('ce', endpoint_url=ENDPOINT, region_name='us-east-1', config=botocore.config.Config(parameter_validation=False, retries={'max_attempts': 1}))
            TODAY, TOMORROW, MONTH_AGO = '{{Day(today)}}', '{{Day(today.AddDays(1))}}', '{{Day(today.AddDays(-30))}}'
            import base64, hashlib
            def b64(text):
                return base64.urlsafe_b64encode(text.encode()).decode().rstrip('=')
            def forged(request, position):
                # A token as the server makes them, for a request (keys in order, compact JSON), with any position.
                canonical = json.dumps({k: request[k] for k in sorted(request)}, separators=(',', ':'))
                return b64(json.dumps({'r': hashlib.sha256(canonical.encode()).hexdigest().upper()[:32], 'a': position}))
            """, BadInput);
    }
}
