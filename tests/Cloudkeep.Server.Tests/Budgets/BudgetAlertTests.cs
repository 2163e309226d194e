using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Server.Alerts;
using Cloudkeep.Server.Tests.Sns;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Budgets;

/// <summary>
/// The budget evaluation job on a moved clock: a month of metered usage, a 100 USD monthly budget
/// with a FORECASTED notification (fires early in the month, on Cost Explorer's forecast) and an
/// ACTUAL 80% one (fires once the spend passes 80 USD), e-mail arriving at a real SMTP server and an
/// SNS HTTP subscriber receiving the signed message; no second send after a restart; the next month
/// starting OK. Setup runs through the AWS CLI at the real time; once the clock moves, Budgets is
/// called through a client that signs with the server's clock (SigV4 refuses 15 minutes' skew).
/// </summary>
public abstract class BudgetAlertTests
{
    private const string Account = "111122223333";
    private const string Reader = "finance@example.test";
    private const double DailyUsd = 5;

    // S3 Standard PUT requests in us-east-1 cost $0.005 per 1,000 (the shipped price list).
    private const double RequestsPerDollar = 1 / 5e-06;

    protected abstract MetadataEngine Engine { get; }

    [Fact]
    public async Task MonthOfUsage_ForecastThenActualCrossed_AlertsOncePerPeriodByEmailAndSns()
    {
        var clock = new ShiftableClock();
        using var data = new TempDirectory("cloudkeep-budget-alerts-");
        var database = await TestDatabase.CreateAsync(Engine);
        await using var smtp = await SmtpCapture.StartAsync();
        await using var endpoint = new HttpSubscriber();
        var alerts = new AlertOptions { Smtp = "127.0.0.1:" + smtp.Port, From = "budgets@example.test" };
        Task<TestServer> StartAsync() => TestServer.StartAsync(database: database, dataDirectory: data.Path, time: clock, alerts: alerts, metering: false,
            budgetEvaluationInterval: TimeSpan.FromMilliseconds(200));

        var server = await StartAsync();
        try
        {
            var root = Cli.Root(server);
            var topic = (await root.RunAsync("sns", "create-topic", "--name", "budget-alerts", "--region", "us-east-1")).GetProperty("TopicArn").GetString()!;
            // "Amazon SNS topic policy for budget notifications": budgets.amazonaws.com may publish for this account's budgets.
            await root.RunAsync("sns", "set-topic-attributes", "--region", "us-east-1", "--topic-arn", topic, "--attribute-name", "Policy", "--attribute-value", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"budgets.amazonaws.com"},"Action":"SNS:Publish","Resource":"TOPIC",
                  "Condition":{"StringEquals":{"aws:SourceAccount":"ACCOUNT"},"ArnLike":{"aws:SourceArn":"arn:aws:budgets::ACCOUNT:*"}}}]}
                """.Replace("TOPIC", topic, StringComparison.Ordinal).Replace("ACCOUNT", Account, StringComparison.Ordinal));
            await root.RunAsync("sns", "set-topic-attributes", "--region", "us-east-1", "--topic-arn", topic, "--attribute-name", "SignatureVersion", "--attribute-value", "2");
            await SnsFixture.SubscribeConfirmedAsync(root, topic, endpoint, "--region", "us-east-1");
            await root.RunAsync("budgets", "create-budget", "--account-id", Account, "--region", "us-east-1",
                "--budget", """{"BudgetName": "monthly", "BudgetLimit": {"Amount": "100", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"}""",
                "--notifications-with-subscribers", $$"""
                [{"Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80, "ThresholdType": "PERCENTAGE"},
                  "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "{{Reader}}"}, {"SubscriptionType": "SNS", "Address": "{{topic}}"}]},
                 {"Notification": {"NotificationType": "FORECASTED", "ComparisonOperator": "GREATER_THAN", "Threshold": 100, "ThresholdType": "PERCENTAGE"},
                  "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "{{Reader}}"}]}]
                """);

            // The month after next, so nothing the setup metered falls in it; a month of history before it for the forecast.
            var real = DateTimeOffset.UtcNow;
            var month = new DateTimeOffset(real.Year, real.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(2);
            var daysInMonth = (month.AddMonths(1) - month).Days;

            // Day 3 at noon: 12.50 USD spent, 10 USD before today plus 5 a day for the rest of the month forecast: over 100.
            var early = month.AddDays(2.5);
            await MeterAsync(server, month.AddDays(-30), early);
            MoveTo(clock, early);
            var forecasted = await ToReaderAsync(smtp, m => m.Subject == "AWS Budgets: monthly is forecasted to exceed your alert threshold");
            var expectedForecast = 10 + (DailyUsd * (daysInMonth - 2));
            Assert.Contains($"FORECASTED Amount: ${expectedForecast.ToString("#,##0.00", CultureInfo.InvariantCulture)}", forecasted.TextBody, StringComparison.Ordinal);
            Assert.Contains($"AWS Account {Account}", forecasted.TextBody, StringComparison.Ordinal);
            Assert.Equal(("OK", "ALARM"), await StatesAsync(server, clock));

            // Day 18 at noon: 87.50 USD spent passes 80% of 100.
            var late = month.AddDays(17.5);
            await MeterAsync(server, early, late);
            MoveTo(clock, late);
            var actual = await ToReaderAsync(smtp, m => m.Subject == "AWS Budgets: monthly has exceeded your alert threshold");
            Assert.Contains("You requested that we alert you when the ACTUAL Cost associated with your monthly budget is greater than $80.00 for the current month.", actual.TextBody, StringComparison.Ordinal);
            Assert.Contains("ACTUAL Amount: $87.50", actual.TextBody, StringComparison.Ordinal);
            Assert.Contains("Budgeted Amount: $100.00", actual.TextBody, StringComparison.Ordinal);

            var posted = await endpoint.NextAsync();
            Assert.Equal("Notification", posted.Headers["x-amz-sns-message-type"]);
            var document = JsonDocument.Parse(posted.Body).RootElement;
            Assert.True(await SnsSignature.VerifyAsync(document));
            Assert.Equal("AWS Budgets: monthly has exceeded your alert threshold", document.GetProperty("Subject").GetString());
            Assert.Contains("ACTUAL Amount: $87.50", document.GetProperty("Message").GetString(), StringComparison.Ordinal);
            Assert.Equal(("ALARM", "ALARM"), await StatesAsync(server, clock));

            var described = (await Budgets(server, clock).CallAsync("DescribeBudget", new JsonObject { ["AccountId"] = Account, ["BudgetName"] = "monthly" }, CancellationToken.None))["Budget"]!;
            Assert.Equal(87.5m, decimal.Parse(described["CalculatedSpend"]!["ActualSpend"]!["Amount"]!.GetValue<string>(), CultureInfo.InvariantCulture), 2);
            Assert.Equal((decimal)(87.5 - (DailyUsd / 2) + (DailyUsd * (daysInMonth - 17))), decimal.Parse(described["CalculatedSpend"]!["ForecastedSpend"]!["Amount"]!.GetValue<string>(), CultureInfo.InvariantCulture), 2);

            // A restart in the same period: the alerts were sent, nothing goes again.
            await server.DisposeAsync();
            server = await StartAsync();
            await NoBudgetMailWithinAsync(smtp, TimeSpan.FromSeconds(3));
            Assert.Null(await endpoint.NothingWithinAsync(TimeSpan.FromSeconds(1)));
            Assert.Equal(("ALARM", "ALARM"), await StatesAsync(server, clock));

            // The next month starts OK; its own forecast crosses again and is sent again.
            var next = month.AddMonths(1).AddDays(1.5);
            await MeterAsync(server, late, next);
            MoveTo(clock, next);
            Assert.NotNull(await ToReaderAsync(smtp, m => m.Subject == "AWS Budgets: monthly is forecasted to exceed your alert threshold"));
            Assert.Equal(("OK", "ALARM"), await StatesAsync(server, clock));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task UsageBudget_RequestsPastItsLimit_AlertsOnTheFilteredQuantityActualAndForecasted()
    {
        var clock = new ShiftableClock();
        var database = await TestDatabase.CreateAsync(Engine);
        await using var smtp = await SmtpCapture.StartAsync();
        await using var server = await TestServer.StartAsync(database: database, time: clock, alerts: new AlertOptions { Smtp = "127.0.0.1:" + smtp.Port, From = "budgets@example.test" },
            metering: false, budgetEvaluationInterval: TimeSpan.FromMilliseconds(200));
        var root = Cli.Root(server);
        // 50,000 S3 API requests a month in any region; KMS requests are usage too but not of this budget.
        await root.RunAsync("budgets", "create-budget", "--account-id", Account, "--region", "us-east-1",
            "--budget", """
            {"BudgetName": "s3-requests", "BudgetLimit": {"Amount": "50000", "Unit": "Requests"}, "TimeUnit": "MONTHLY", "BudgetType": "USAGE",
             "CostFilters": {"UsageTypeGroup": ["S3: API Requests - Standard"]}}
            """,
            "--notifications-with-subscribers", $$"""
            [{"Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 40, "ThresholdType": "PERCENTAGE"},
              "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "{{Reader}}"}]},
             {"Notification": {"NotificationType": "FORECASTED", "ComparisonOperator": "GREATER_THAN", "Threshold": 100, "ThresholdType": "PERCENTAGE"},
              "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "{{Reader}}"}]}]
            """);
        var created = (await root.RunAsync("budgets", "describe-budget", "--account-id", Account, "--region", "us-east-1", "--budget-name", "s3-requests")).GetProperty("Budget");
        Assert.Equal("USAGE", created.GetProperty("BudgetType").GetString());
        Assert.Equal("S3: API Requests - Standard", created.GetProperty("CostFilters").GetProperty("UsageTypeGroup")[0].GetString());

        // Day 10 at noon of the month after next, after 30 days of 2,400 S3 requests a day (in two regions) and far more KMS requests.
        var real = DateTimeOffset.UtcNow;
        var month = new DateTimeOffset(real.Year, real.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(2);
        var daysInMonth = (month.AddMonths(1) - month).Days;
        var at = month.AddDays(9.5);
        var hours = new List<UsageRecord>();
        for (var hour = month.AddDays(-30); hour < at; hour = hour.AddHours(1))
        {
            hours.Add(new UsageRecord(Account, "us-east-1", "Amazon Simple Storage Service", "Requests-Tier1", "", hour, 60));
            hours.Add(new UsageRecord(Account, "eu-west-2", "Amazon Simple Storage Service", "EUW2-Requests-Tier2", "", hour, 40));
            hours.Add(new UsageRecord(Account, "us-east-1", "AWS Key Management Service", "KMS-Requests", "", hour, 100_000));
        }

        await new UsageRepository(server.Server.Services.GetRequiredService<IMetadataStore>()).AddAsync(hours, CancellationToken.None);
        MoveTo(clock, at);

        // 9.5 days of 2,400 requests passes 40% of 50,000; 9 whole days plus 2,400 a day to the month's end passes all of it.
        // The two alerts come in either order: keep each as it arrives.
        var mails = new Dictionary<string, MimeKit.MimeMessage>(StringComparer.Ordinal);
        while (mails.Count < 2)
        {
            var mail = await ToReaderAsync(smtp, m => m.Subject?.StartsWith("AWS Budgets: s3-requests ", StringComparison.Ordinal) == true);
            mails[mail.Subject!] = mail;
        }

        var actual = mails["AWS Budgets: s3-requests has exceeded your alert threshold"];
        Assert.Contains("ACTUAL Amount: 22,800.00 Requests", actual.TextBody, StringComparison.Ordinal);
        Assert.Contains("Budget Type: Usage", actual.TextBody, StringComparison.Ordinal);
        Assert.Contains("Alert Threshold: > 20,000.00 Requests", actual.TextBody, StringComparison.Ordinal);
        var forecasted = mails["AWS Budgets: s3-requests is forecasted to exceed your alert threshold"];
        Assert.Contains($"FORECASTED Amount: {(2400 * daysInMonth).ToString("#,##0.00", CultureInfo.InvariantCulture)} Requests", forecasted.TextBody, StringComparison.Ordinal);

        var described = (await Budgets(server, clock).CallAsync("DescribeBudget", new JsonObject { ["AccountId"] = Account, ["BudgetName"] = "s3-requests" }, CancellationToken.None))["Budget"]!;
        Assert.Equal("22800", described["CalculatedSpend"]!["ActualSpend"]!["Amount"]!.GetValue<string>());
        Assert.Equal("Requests", described["CalculatedSpend"]!["ActualSpend"]!["Unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task SnsSubscriber_TopicPolicyNotAllowingBudgets_GetsNothingWhileEmailIsSent()
    {
        var database = await TestDatabase.CreateAsync(Engine);
        await using var smtp = await SmtpCapture.StartAsync();
        await using var endpoint = new HttpSubscriber();
        await using var server = await TestServer.StartAsync(database: database, alerts: new AlertOptions { Smtp = "127.0.0.1:" + smtp.Port, From = "budgets@example.test" },
            metering: false, budgetEvaluationInterval: TimeSpan.FromMilliseconds(200));
        var root = Cli.Root(server);
        // SNS's default policy lets the owner's own sources publish (AWS:SourceOwner), which a budget is not: Budgets needs its service principal named.
        var topic = (await root.RunAsync("sns", "create-topic", "--name", "default-policy", "--region", "us-east-1")).GetProperty("TopicArn").GetString()!;
        await SnsFixture.SubscribeConfirmedAsync(root, topic, endpoint, "--region", "us-east-1");
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        await new UsageRepository(server.Server.Services.GetRequiredService<IMetadataStore>()).AddAsync(
            [new UsageRecord(Account, "us-east-1", "Amazon Simple Storage Service", "Requests-Tier1", "", hour, 2 * RequestsPerDollar)], CancellationToken.None);
        await root.RunAsync("budgets", "create-budget", "--account-id", Account, "--region", "us-east-1",
            "--budget", """{"BudgetName": "small", "BudgetLimit": {"Amount": "10", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"}""",
            "--notifications-with-subscribers", $$"""
            [{"Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 1, "ThresholdType": "ABSOLUTE_VALUE"},
              "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "{{Reader}}"}, {"SubscriptionType": "SNS", "Address": "{{topic}}"}]}]
            """);

        var mail = await ToReaderAsync(smtp, m => m.Subject == "AWS Budgets: small has exceeded your alert threshold");
        Assert.Contains("Alert Threshold: > $1.00", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("ACTUAL Amount: $2.00", mail.TextBody, StringComparison.Ordinal);
        Assert.Null(await endpoint.NothingWithinAsync(TimeSpan.FromSeconds(2)));
    }

    private static void MoveTo(ShiftableClock clock, DateTimeOffset at) => clock.Offset = at - DateTimeOffset.UtcNow;

    /// <summary>Usage costing 5 USD a day, hour by hour over [from, to), as the request path would have metered it.</summary>
    private static async Task MeterAsync(TestServer server, DateTimeOffset from, DateTimeOffset to)
    {
        var hours = new List<UsageRecord>();
        for (var hour = from; hour < to; hour = hour.AddHours(1))
        {
            hours.Add(new UsageRecord(Account, "us-east-1", "Amazon Simple Storage Service", "Requests-Tier1", "", hour, DailyUsd / 24 * RequestsPerDollar));
        }

        await new UsageRepository(server.Server.Services.GetRequiredService<IMetadataStore>()).AddAsync(hours, CancellationToken.None);
    }

    private static readonly HttpClient Http = new();

    private static BudgetsClient Budgets(TestServer server, ShiftableClock clock) =>
        new(Http, new Uri(server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), clock);

    /// <summary>The ACTUAL and FORECASTED notifications' states, as DescribeNotificationsForBudget answers.</summary>
    private static async Task<(string Actual, string Forecasted)> StatesAsync(TestServer server, ShiftableClock clock)
    {
        var notifications = (await Budgets(server, clock).CallAsync("DescribeNotificationsForBudget", new JsonObject { ["AccountId"] = Account, ["BudgetName"] = "monthly" }, CancellationToken.None))["Notifications"]!.AsArray();
        string State(string type) => notifications.Single(n => n!["NotificationType"]!.GetValue<string>() == type)!["NotificationState"]!.GetValue<string>();
        return (State("ACTUAL"), State("FORECASTED"));
    }

    /// <summary>The relay also carries the server's own security alerts: only a budget alert to the reader counts.</summary>
    private static async Task NoBudgetMailWithinAsync(SmtpCapture smtp, TimeSpan wait)
    {
        var until = DateTimeOffset.UtcNow + wait;
        while (DateTimeOffset.UtcNow < until && await smtp.NextWithinAsync(until - DateTimeOffset.UtcNow) is { } message)
        {
            Assert.False(message.To.Mailboxes.Any(m => m.Address == Reader), "sent again after the restart: " + message.Subject);
        }
    }

    private static async Task<MimeKit.MimeMessage> ToReaderAsync(SmtpCapture smtp, Func<MimeKit.MimeMessage, bool> wanted)
    {
        while (true)
        {
            var message = await smtp.NextAsync();
            if (message.To.Mailboxes.Any(m => m.Address == Reader) && wanted(message))
            {
                return message;
            }
        }
    }
}

public sealed class BudgetAlertTestsOnSqlite : BudgetAlertTests
{
    protected override MetadataEngine Engine => MetadataEngine.Sqlite;
}

public sealed class BudgetAlertTestsOnPostgres : BudgetAlertTests
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
