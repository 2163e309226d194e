using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Budgets;

/// <summary>
/// Budgets' MaxResults / NextToken through the AWS CLI (which pages by itself: --page-size,
/// --max-items and --starting-token) and boto3 (explicit tokens), and AWS's errors for a bad
/// token or a page size out of range.
/// </summary>
public sealed class BudgetsPagingTests : IAsyncLifetime
{
    private const string Management = "111122223333";

    private TestServer _server = null!;
    private Cli _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(metering: false);
        _root = Cli.Root(_server);
        await Boto3.RunAsync(_server, $$"""
            b = boto3.client('budgets', endpoint_url=ENDPOINT, region_name='us-east-1')
            def note(threshold):
                return {'NotificationType': 'ACTUAL', 'ComparisonOperator': 'GREATER_THAN', 'Threshold': threshold, 'ThresholdType': 'PERCENTAGE'}
            for name in ['e', 'a', 'd', 'c', 'b']:
                b.create_budget(AccountId='{{Management}}', Budget={'BudgetName': name, 'BudgetLimit': {'Amount': '10', 'Unit': 'USD'}, 'TimeUnit': 'MONTHLY', 'BudgetType': 'COST'})
            b.create_budget(AccountId='{{Management}}', Budget={'BudgetName': 'noisy', 'BudgetLimit': {'Amount': '10', 'Unit': 'USD'}, 'TimeUnit': 'MONTHLY', 'BudgetType': 'COST'},
                NotificationsWithSubscribers=[{'Notification': note(t), 'Subscribers': [{'SubscriptionType': 'EMAIL', 'Address': f'r{t}-{i}@example.com'} for i in range(5)]} for t in (10, 20, 30)])
            print('{}')
            """);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string[] Budgets(params string[] arguments) => ["budgets", .. arguments, "--account-id", Management, "--region", "us-east-1"];

    private static List<string?> Names(JsonElement answer) => [.. answer.GetProperty("Budgets").EnumerateArray().Select(b => b.GetProperty("BudgetName").GetString())];

    [Fact]
    public async Task DescribeBudgets_CliPaging_AnswersEveryBudgetInNameOrder()
    {
        // --page-size 2: the CLI follows NextToken over three pages and prints them as one.
        Assert.Equal(["a", "b", "c", "d", "e", "noisy"], Names(await _root.RunAsync(Budgets("describe-budgets", "--page-size", "2"))));

        // --max-items 4: the CLI stops after four and hands out its own token to start from.
        var first = await _root.RunAsync(Budgets("describe-budgets", "--max-items", "4", "--page-size", "3"));
        Assert.Equal(["a", "b", "c", "d"], Names(first));
        var rest = await _root.RunAsync(Budgets("describe-budgets", "--starting-token", first.GetProperty("NextToken").GetString()!, "--page-size", "3"));
        Assert.Equal(["e", "noisy"], Names(rest));

        // --no-paginate: one call, the server's first page of MaxResults and its token.
        var one = await _root.RunAsync(Budgets("describe-budgets", "--no-paginate", "--max-results", "4"));
        Assert.Equal(["a", "b", "c", "d"], Names(one));
        Assert.False(string.IsNullOrEmpty(one.GetProperty("NextToken").GetString()));

        const string Note = "NotificationType=ACTUAL,ComparisonOperator=GREATER_THAN,Threshold=20,ThresholdType=PERCENTAGE";
        var notifications = await _root.RunAsync(Budgets("describe-notifications-for-budget", "--budget-name", "noisy", "--page-size", "1"));
        Assert.Equal([10.0, 20, 30], notifications.GetProperty("Notifications").EnumerateArray().Select(n => n.GetProperty("Threshold").GetDouble()));
        var subscribers = await _root.RunAsync(Budgets("describe-subscribers-for-notification", "--budget-name", "noisy", "--notification", Note, "--page-size", "2"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"r20-{i}@example.com"), subscribers.GetProperty("Subscribers").EnumerateArray().Select(s => s.GetProperty("Address").GetString()));
    }

    [Fact]
    public async Task DescribeBudgets_Boto3Tokens_PagesWithoutRepeatsWhileBudgetsAreAdded()
    {
        var answer = await Boto3.RunAsync(_server, $$"""
            b = boto3.client('budgets', endpoint_url=ENDPOINT, region_name='us-east-1')
            first = b.describe_budgets(AccountId='{{Management}}', MaxResults=2)
            # A budget created between pages, before the position: the next page neither repeats nor skips.
            b.create_budget(AccountId='{{Management}}', Budget={'BudgetName': 'aa', 'BudgetLimit': {'Amount': '1', 'Unit': 'USD'}, 'TimeUnit': 'MONTHLY', 'BudgetType': 'COST'})
            names, token = [x['BudgetName'] for x in first['Budgets']], first['NextToken']
            while token:
                page = b.describe_budgets(AccountId='{{Management}}', MaxResults=2, NextToken=token)
                names += [x['BudgetName'] for x in page['Budgets']]
                token = page.get('NextToken')
            paginated = [x['BudgetName'] for p in b.get_paginator('describe_budgets').paginate(AccountId='{{Management}}', PaginationConfig={'PageSize': 3}) for x in p['Budgets']]
            last = b.describe_budgets(AccountId='{{Management}}', MaxResults=1000)
            print(json.dumps({'names': names, 'paginated': paginated, 'lastToken': last.get('NextToken')}))
            """);
        Assert.Equal(["a", "b", "c", "d", "e", "noisy"], answer.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(["a", "aa", "b", "c", "d", "e", "noisy"], answer.GetProperty("paginated").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("lastToken").ValueKind);
    }

    /// <summary>Bad paging input, a boto3 call and the code Budgets answers it with.</summary>
    private static readonly (string Case, string Call, string Code)[] BadInput =
    [
        // The model bounds MaxResults (1 to 1000, and 1 to 100): out of them is the ValidationException every AWS JSON service answers a constraint with.
        ("budgets a page of 0", "b.describe_budgets, AccountId=ACCOUNT, MaxResults=0", "ValidationException"),
        ("budgets a page of 1001", "b.describe_budgets, AccountId=ACCOUNT, MaxResults=1001", "ValidationException"),
        ("notifications a page of 101", "b.describe_notifications_for_budget, AccountId=ACCOUNT, BudgetName='noisy', MaxResults=101", "ValidationException"),
        ("subscribers a page of -1", "b.describe_subscribers_for_notification, AccountId=ACCOUNT, BudgetName='noisy', Notification=NOTE, MaxResults=-1", "ValidationException"),
        ("a token never given", "b.describe_budgets, AccountId=ACCOUNT, NextToken='abc'", "InvalidNextTokenException"),
        ("a token not base64", "b.describe_budgets, AccountId=ACCOUNT, NextToken='%%%'", "InvalidNextTokenException"),
        ("a notifications token for budgets", "b.describe_budgets, AccountId=ACCOUNT, NextToken=b64('n/1')", "InvalidNextTokenException"),
        ("an offset past the end", "b.describe_notifications_for_budget, AccountId=ACCOUNT, BudgetName='noisy', NextToken=b64('n/4')", "InvalidNextTokenException"),
        ("a negative offset", "b.describe_subscribers_for_notification, AccountId=ACCOUNT, BudgetName='noisy', Notification=NOTE, NextToken=b64('s/-1')", "InvalidNextTokenException"),
        ("a huge token", "b.describe_budgets, AccountId=ACCOUNT, NextToken='A' * 5000", "InvalidNextTokenException"),
        ("a token on a missing budget", "b.describe_notifications_for_budget, AccountId=ACCOUNT, BudgetName='none', NextToken=b64('n/0')", "NotFoundException"),
    ];

    [Fact]
    public async Task BadInput_Table_GetsBudgetsPagingErrors()
    {
        await Boto3.AssertErrorTableAsync(_server, $$"""
            import base64
            b = boto3.client('budgets', endpoint_url=ENDPOINT, region_name='us-east-1', config=botocore.config.Config(parameter_validation=False, retries={'max_attempts': 1}))
            ACCOUNT = '{{Management}}'
            NOTE = {'NotificationType': 'ACTUAL', 'ComparisonOperator': 'GREATER_THAN', 'Threshold': 20, 'ThresholdType': 'PERCENTAGE'}
            def b64(text):
                return base64.urlsafe_b64encode(text.encode()).decode().rstrip('=')
            """, BadInput);
    }
}
