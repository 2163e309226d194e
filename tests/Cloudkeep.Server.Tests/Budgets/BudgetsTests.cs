using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Services.Billing;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Budgets;

/// <summary>
/// Budgets end to end through the AWS CLI and boto3: a COST budget's life with its notifications
/// and subscribers, its ActualSpend equal to the metered month-to-date cost Cost Explorer answers
/// with, and AWS's error codes for bad input.
/// </summary>
public sealed class BudgetsTests : IAsyncLifetime
{
    private const string Management = "111122223333";

    private readonly ShiftableClock _clock = new();
    private TestServer _server = null!;
    private Cli _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(time: _clock, meteringFlushInterval: TimeSpan.Zero);
        _root = Cli.Root(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string[] Budgets(params string[] arguments) => ["budgets", .. arguments, "--account-id", Management, "--region", "us-east-1"];

    [Fact]
    public async Task Budgets_EveryOperation_ThroughTheCli()
    {
        await _root.RunAsync("s3api", "create-bucket", "--bucket", "budget-spend", "--region", "us-east-1");
        await _root.RunAsync("kms", "create-key");
        await _server.Server.Services.GetRequiredService<UsageMeter>().FlushAsync(CancellationToken.None);

        await _root.RunAsync(Budgets("create-budget",
            "--budget", """{"BudgetName": "monthly", "BudgetLimit": {"Amount": "100", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"}""",
            "--notifications-with-subscribers", """[{"Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80, "ThresholdType": "PERCENTAGE"}, "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "ops@example.com"}]}]"""));
        Assert.Contains("DuplicateRecordException", await _root.FailAsync(Budgets("create-budget",
            "--budget", """{"BudgetName": "monthly", "BudgetLimit": {"Amount": "5", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"}""")), StringComparison.Ordinal);

        var described = (await _root.RunAsync(Budgets("describe-budget", "--budget-name", "monthly"))).GetProperty("Budget");
        Assert.Equal("100", described.GetProperty("BudgetLimit").GetProperty("Amount").GetString());
        Assert.Equal("MONTHLY", described.GetProperty("TimeUnit").GetString());
        var now = _clock.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var prices = PriceList.Embedded();
        var usage = new UsageRepository(_server.Server.Services.GetRequiredService<IMetadataStore>());
        var monthToDate = (await usage.QueryAsync(monthStart, now, null, CancellationToken.None)).Sum(r => (decimal)r.Quantity * prices.UnitPrice(r.Service, r.UsageType));
        Assert.True(monthToDate > 0, "the bucket and key were metered");
        Assert.Equal(monthToDate, decimal.Parse(described.GetProperty("CalculatedSpend").GetProperty("ActualSpend").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture), 9);
        // The CLI prints the timestamps as it received them: epoch seconds.
        Assert.Equal(monthStart.ToUnixTimeSeconds(), described.GetProperty("TimePeriod").GetProperty("Start").GetDouble());

        await _root.RunAsync(Budgets("update-budget", "--new-budget", """{"BudgetName": "monthly", "BudgetLimit": {"Amount": "250.5", "Unit": "USD"}, "TimeUnit": "QUARTERLY", "BudgetType": "COST"}"""));
        var listed = (await _root.RunAsync(Budgets("describe-budgets"))).GetProperty("Budgets");
        Assert.Equal("250.5", listed[0].GetProperty("BudgetLimit").GetProperty("Amount").GetString());
        Assert.Equal("QUARTERLY", listed[0].GetProperty("TimeUnit").GetString());

        const string Actual80 = "NotificationType=ACTUAL,ComparisonOperator=GREATER_THAN,Threshold=80,ThresholdType=PERCENTAGE";
        const string Absolute = "NotificationType=ACTUAL,ComparisonOperator=GREATER_THAN,Threshold=10,ThresholdType=ABSOLUTE_VALUE";
        await _root.RunAsync(Budgets("create-notification", "--budget-name", "monthly", "--notification", Absolute,
            "--subscribers", "SubscriptionType=SNS,Address=arn:aws:sns:us-east-1:111122223333:budgets"));
        var notifications = (await _root.RunAsync(Budgets("describe-notifications-for-budget", "--budget-name", "monthly"))).GetProperty("Notifications");
        Assert.Equal(2, notifications.GetArrayLength());
        Assert.All(notifications.EnumerateArray(), n => Assert.Equal("OK", n.GetProperty("NotificationState").GetString()));

        await _root.RunAsync(Budgets("create-subscriber", "--budget-name", "monthly", "--notification", Actual80, "--subscriber", "SubscriptionType=EMAIL,Address=finance@example.com"));
        var subscribers = (await _root.RunAsync(Budgets("describe-subscribers-for-notification", "--budget-name", "monthly", "--notification", Actual80))).GetProperty("Subscribers");
        Assert.Equal(["finance@example.com", "ops@example.com"], subscribers.EnumerateArray().Select(s => s.GetProperty("Address").GetString()).Order().ToList());
        await _root.RunAsync(Budgets("delete-subscriber", "--budget-name", "monthly", "--notification", Actual80, "--subscriber", "SubscriptionType=EMAIL,Address=ops@example.com"));
        Assert.Contains("NotFoundException", await _root.FailAsync(Budgets("delete-subscriber", "--budget-name", "monthly", "--notification", Actual80, "--subscriber", "SubscriptionType=EMAIL,Address=ops@example.com")), StringComparison.Ordinal);

        await _root.RunAsync(Budgets("update-notification", "--budget-name", "monthly", "--old-notification", Actual80,
            "--new-notification", "NotificationType=ACTUAL,ComparisonOperator=GREATER_THAN,Threshold=90,ThresholdType=PERCENTAGE"));
        await _root.RunAsync(Budgets("delete-notification", "--budget-name", "monthly", "--notification", Absolute));
        notifications = (await _root.RunAsync(Budgets("describe-notifications-for-budget", "--budget-name", "monthly"))).GetProperty("Notifications");
        Assert.Equal(90, notifications.EnumerateArray().Single().GetProperty("Threshold").GetDouble());

        await _root.RunAsync(Budgets("delete-budget", "--budget-name", "monthly"));
        Assert.Contains("NotFoundException", await _root.FailAsync(Budgets("describe-budget", "--budget-name", "monthly")), StringComparison.Ordinal);
        Assert.Equal(0, (await _root.RunAsync(Budgets("describe-budgets"))).GetProperty("Budgets").GetArrayLength());
    }

    [Fact]
    public async Task CreateSubscriber_ManyAtOnce_NoneIsLost()
    {
        using var http = new HttpClient();
        var client = new Cloudkeep.Client.BudgetsClient(http, new Uri(_server.Endpoint), new Amazon.Runtime.BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), _clock);
        var notification = new JsonObject { ["NotificationType"] = "ACTUAL", ["ComparisonOperator"] = "GREATER_THAN", ["Threshold"] = 50, ["ThresholdType"] = "PERCENTAGE" };
        await client.CallAsync("CreateBudget", new JsonObject
        {
            ["AccountId"] = Management,
            ["Budget"] = new JsonObject { ["BudgetName"] = "contended", ["BudgetLimit"] = new JsonObject { ["Amount"] = "10", ["Unit"] = "USD" }, ["TimeUnit"] = "MONTHLY", ["BudgetType"] = "COST" },
            ["NotificationsWithSubscribers"] = new JsonArray(new JsonObject { ["Notification"] = notification.DeepClone(), ["Subscribers"] = new JsonArray(new JsonObject { ["SubscriptionType"] = "EMAIL", ["Address"] = "first@example.com" }) }),
        }, CancellationToken.None);

        // Each call reads the budget and writes it back: without the budget's lock, the last writer would drop the others' subscribers.
        await Task.WhenAll(Enumerable.Range(0, 9).Select(i => client.CallAsync("CreateSubscriber", new JsonObject
        {
            ["AccountId"] = Management, ["BudgetName"] = "contended", ["Notification"] = notification.DeepClone(),
            ["Subscriber"] = new JsonObject { ["SubscriptionType"] = "EMAIL", ["Address"] = $"reader{i}@example.com" },
        }, CancellationToken.None)));

        var subscribers = (await client.CallAsync("DescribeSubscribersForNotification", new JsonObject { ["AccountId"] = Management, ["BudgetName"] = "contended", ["Notification"] = notification.DeepClone() }, CancellationToken.None))["Subscribers"]!.AsArray();
        Assert.Equal(10, subscribers.Count);
    }

    /// <summary>Bad input, a boto3 call and the code Budgets answers it with.</summary>
    private static readonly (string Case, string Call, string Code)[] BadInput =
    [
        ("another account", "b.describe_budgets, AccountId='999988887777'", "AccessDeniedException"),
        ("no such budget", "b.describe_budget, AccountId=ACCOUNT, BudgetName='none'", "NotFoundException"),
        ("delete missing", "b.delete_budget, AccountId=ACCOUNT, BudgetName='none'", "NotFoundException"),
        ("update missing", "b.update_budget, AccountId=ACCOUNT, NewBudget=budget('none')", "NotFoundException"),
        ("duplicate", "b.create_budget, AccountId=ACCOUNT, Budget=budget('kept')", "DuplicateRecordException"),
        ("no limit", "b.create_budget, AccountId=ACCOUNT, Budget={'BudgetName': 'x', 'TimeUnit': 'MONTHLY', 'BudgetType': 'COST'}", "InvalidParameterException"),
        ("limit not a number", "b.create_budget, AccountId=ACCOUNT, Budget=budget('x', amount='ten')", "ValidationException"),
        ("zero limit", "b.create_budget, AccountId=ACCOUNT, Budget=budget('x', amount='0')", "InvalidParameterException"),
        ("limit in euros", "b.create_budget, AccountId=ACCOUNT, Budget=budget('x', unit='EUR')", "InvalidParameterException"),
        ("end before start", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x'), TimePeriod={'Start': 1767225600, 'End': 1764547200})", "InvalidParameterException"),
        ("name with a colon", "b.create_budget, AccountId=ACCOUNT, Budget=budget('a:b')", "ValidationException"),
        ("unknown time unit", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x'), TimeUnit='WEEKLY')", "ValidationException"),
        ("usage budget in USD", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x'), BudgetType='USAGE', CostFilters={'UsageTypeGroup': ['S3: API Requests - Standard']})", "InvalidParameterException"),
        ("usage budget of everything", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x', unit='Requests'), BudgetType='USAGE')", "InvalidParameterException"),
        ("usage budget of an unknown group", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x', unit='Requests'), BudgetType='USAGE', CostFilters={'UsageTypeGroup': ['EC2: Running Hours']})", "InvalidParameterException"),
        ("a filter without values", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x'), CostFilters={'Service': []})", "InvalidParameterException"),
        ("a tag filter", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x'), CostFilters={'TagKeyValue': ['user:team$blue']})", "NotImplemented"),
        ("an RI budget", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x'), BudgetType='RI_UTILIZATION')", "NotImplemented"),
        ("a savings plans budget", "b.create_budget, AccountId=ACCOUNT, Budget=dict(budget('x'), BudgetType='SAVINGS_PLANS_COVERAGE')", "NotImplemented"),
        ("email not an address", "b.create_budget, AccountId=ACCOUNT, Budget=budget('x'), NotificationsWithSubscribers=[{'Notification': NOTE, 'Subscribers': [{'SubscriptionType': 'EMAIL', 'Address': 'nobody'}]}]", "InvalidParameterException"),
        ("sns not a topic", "b.create_budget, AccountId=ACCOUNT, Budget=budget('x'), NotificationsWithSubscribers=[{'Notification': NOTE, 'Subscribers': [{'SubscriptionType': 'SNS', 'Address': 'topic'}]}]", "InvalidParameterException"),
        ("two sns subscribers", "b.create_notification, AccountId=ACCOUNT, BudgetName='kept', Notification=NOTE, Subscribers=[{'SubscriptionType': 'SNS', 'Address': 'arn:aws:sns:us-east-1:111122223333:a'}, {'SubscriptionType': 'SNS', 'Address': 'arn:aws:sns:us-east-1:111122223333:b'}]", "InvalidParameterException"),
        ("notification twice", "b.create_notification, AccountId=ACCOUNT, BudgetName='kept', Notification=KEPT_NOTE, Subscribers=[{'SubscriptionType': 'EMAIL', 'Address': 'a@example.com'}]", "DuplicateRecordException"),
        ("missing notification", "b.delete_notification, AccountId=ACCOUNT, BudgetName='kept', Notification=NOTE", "NotFoundException"),
        ("subscriber twice", "b.create_subscriber, AccountId=ACCOUNT, BudgetName='kept', Notification=KEPT_NOTE, Subscriber={'SubscriptionType': 'EMAIL', 'Address': 'ops@example.com'}", "DuplicateRecordException"),
        ("percentage too high", "b.create_notification, AccountId=ACCOUNT, BudgetName='kept', Notification=dict(NOTE, Threshold=2000000), Subscribers=[{'SubscriptionType': 'EMAIL', 'Address': 'a@example.com'}]", "InvalidParameterException"),
        ("budget actions are not served", "b.describe_budget_actions_for_account, AccountId=ACCOUNT", "NotImplemented"),
    ];

    [Fact]
    public async Task BadInput_Table_GetsBudgetsErrorCodes()
    {
        await Boto3.AssertErrorTableAsync(_server, $$"""
            b = boto3.client('budgets', endpoint_url=ENDPOINT, region_name='us-east-1', config=botocore.config.Config(parameter_validation=False, retries={'max_attempts': 1}))
            ACCOUNT = '{{Management}}'
            def budget(name, amount='10', unit='USD'):
                return {'BudgetName': name, 'BudgetLimit': {'Amount': amount, 'Unit': unit}, 'TimeUnit': 'MONTHLY', 'BudgetType': 'COST'}
            KEPT_NOTE = {'NotificationType': 'ACTUAL', 'ComparisonOperator': 'GREATER_THAN', 'Threshold': 80, 'ThresholdType': 'PERCENTAGE'}
            NOTE = dict(KEPT_NOTE, Threshold=50)
            b.create_budget(AccountId=ACCOUNT, Budget=budget('kept'), NotificationsWithSubscribers=[{'Notification': KEPT_NOTE, 'Subscribers': [{'SubscriptionType': 'EMAIL', 'Address': 'ops@example.com'}]}])
            """, BadInput);
    }
}
