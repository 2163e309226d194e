using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// AWS Budgets cost budgets as code: a member account's monthly budget with an 80% ACTUAL e-mail
/// notification and a FORECASTED one to the account's topic (by reference), the management
/// account's quarterly one; plan, apply, a second plan with nothing to do, a changed limit and
/// notification list (a subscriber added, a notification replaced), a deletion, and export read back.
/// </summary>
public sealed class EstateBudgetTests : EstateServerTest
{
    protected override bool AsAdministrator => true;

    [Fact]
    public async Task Apply_BudgetsWithNotifications_ThenPlansNothing()
    {
        var file = Harness.Write("estate.yaml", Estate());
        var plan = await Harness.PlanAsync(file);
        Assert.True(plan.Exit == 2, plan.Output + plan.Error);
        Assert.Contains("+ budget development/monthly-cost", plan.Output, StringComparison.Ordinal);
        Assert.Contains("+ budget main/quarterly-cost", plan.Output, StringComparison.Ordinal);

        var apply = await Harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.True(apply.Output.IndexOf("creating topic development/billing-alerts", StringComparison.Ordinal) < apply.Output.IndexOf("creating budget development/monthly-cost", StringComparison.Ordinal), apply.Output);
        var again = await Harness.PlanAsync(file);
        Assert.True(again.Exit == 0, again.Output + again.Error);

        using var connection = new EstateConnection(Harness.Credentials, Server.Endpoint, "eu-west-2", TimeProvider.System);
        using var inside = await connection.ForAccountAsync(await DevelopmentIdAsync(), CancellationToken.None);
        var development = await inside.AccountIdAsync(CancellationToken.None);
        var budget = (await inside.Budgets.CallAsync("DescribeBudget", new JsonObject { ["AccountId"] = development, ["BudgetName"] = "monthly-cost" }, CancellationToken.None))["Budget"]!;
        Assert.Equal(("500", "MONTHLY", "COST"), (budget["BudgetLimit"]!["Amount"]!.GetValue<string>(), budget["TimeUnit"]!.GetValue<string>(), budget["BudgetType"]!.GetValue<string>()));
        var notifications = (await inside.Budgets.CallAsync("DescribeNotificationsForBudget", new JsonObject { ["AccountId"] = development, ["BudgetName"] = "monthly-cost" }, CancellationToken.None))["Notifications"]!.AsArray();
        Assert.Equal(["ACTUAL:80", "FORECASTED:100"], notifications.Select(n => $"{n!["NotificationType"]}:{n["Threshold"]}").Order().ToList());
        var forecasted = notifications.Single(n => n!["NotificationType"]!.GetValue<string>() == "FORECASTED")!.AsObject();
        forecasted.Remove("NotificationState");
        var subscribers = (await inside.Budgets.CallAsync("DescribeSubscribersForNotification", new JsonObject
        {
            ["AccountId"] = development, ["BudgetName"] = "monthly-cost", ["Notification"] = forecasted.DeepClone(),
        }, CancellationToken.None))["Subscribers"]!.AsArray();
        Assert.Equal($"arn:aws:sns:us-east-1:{development}:billing-alerts", Assert.Single(subscribers)!["Address"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_LimitAndNotificationsChanged_BudgetDeleted_ThenExportRoundTrips()
    {
        var file = Harness.Write("estate.yaml", Estate());
        var first = await Harness.ApplyAsync(file);
        Assert.True(first.Exit == 0, first.Output + first.Error);

        var changed = Harness.Write("estate.yaml", Estate(limit: "750.25", secondEmail: true, actualThreshold: "90", mainBudget: false));
        var plan = await Harness.PlanAsync(changed);
        Assert.True(plan.Exit == 2, plan.Output + plan.Error);
        Assert.Contains("~ budget development/monthly-cost", plan.Output, StringComparison.Ordinal);
        Assert.Contains("    limit: 500 -> 750.25", plan.Output, StringComparison.Ordinal);
        Assert.Contains("- budget main/quarterly-cost", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyDeletingAsync(changed);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        var again = await Harness.PlanAsync(changed);
        Assert.True(again.Exit == 0, again.Output + again.Error);

        using var connection = new EstateConnection(Harness.Credentials, Server.Endpoint, "eu-west-2", TimeProvider.System);
        using var inside = await connection.ForAccountAsync(await DevelopmentIdAsync(), CancellationToken.None);
        var development = await inside.AccountIdAsync(CancellationToken.None);
        var notifications = (await inside.Budgets.CallAsync("DescribeNotificationsForBudget", new JsonObject { ["AccountId"] = development, ["BudgetName"] = "monthly-cost" }, CancellationToken.None))["Notifications"]!.AsArray();
        Assert.Equal(["ACTUAL:90", "FORECASTED:100"], notifications.Select(n => $"{n!["NotificationType"]}:{n["Threshold"]}").Order().ToList());
        var actual = notifications.Single(n => n!["NotificationType"]!.GetValue<string>() == "ACTUAL")!.AsObject();
        actual.Remove("NotificationState");
        var subscribers = (await inside.Budgets.CallAsync("DescribeSubscribersForNotification", new JsonObject
        {
            ["AccountId"] = development, ["BudgetName"] = "monthly-cost", ["Notification"] = actual.DeepClone(),
        }, CancellationToken.None))["Subscribers"]!.AsArray();
        Assert.Equal(["billing@example.com", "finance@example.com"], subscribers.Select(s => s!["Address"]!.GetValue<string>()).Order().ToList());
        var main = await connection.Budgets.CallAsync("DescribeBudgets", new JsonObject { ["AccountId"] = await connection.AccountIdAsync(CancellationToken.None) }, CancellationToken.None);
        Assert.Empty(main["Budgets"]!.AsArray());

        var export = await Harness.ExportAsync();
        Assert.True(export.Exit == 0, export.Output + export.Error);
        Assert.Contains("budgets:", export.Output, StringComparison.Ordinal);
        Assert.Contains("${topic.development.billing-alerts.arn}", export.Output, StringComparison.Ordinal);
        var replan = await Harness.PlanAsync(Harness.Write("exported.yaml", export.Output));
        Assert.True(replan.Exit == 0, replan.Output + replan.Error);
    }

    private async Task<string> DevelopmentIdAsync()
    {
        using var http = Harness.Http();
        var organizations = new OrganizationsClient(http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);
        return (await organizations.ListAccountsAsync(CancellationToken.None)).Single(a => a["Name"]!.GetValue<string>() == "development")["Id"]!.GetValue<string>();
    }

    private static string Estate(string limit = "500", bool secondEmail = false, string actualThreshold = "80", bool mainBudget = true) => $$"""
        accounts:
          main:
            management: true
        {{(mainBudget ? MainBudget : "")}}
          development:
            email: development@example.com
            topics:
              billing-alerts:
                region: us-east-1
            budgets:
              monthly-cost:
                limit: {{limit}}
                notifications:
                  - notificationType: ACTUAL
                    threshold: {{actualThreshold}}
                    subscribers:
                      - {subscriptionType: EMAIL, address: billing@example.com}
        {{(secondEmail ? "              - {subscriptionType: EMAIL, address: finance@example.com}" : "")}}
                  - notificationType: FORECASTED
                    comparisonOperator: GREATER_THAN
                    threshold: 100
                    thresholdType: PERCENTAGE
                    subscribers: [{subscriptionType: SNS, address: "${topic.development.billing-alerts.arn}"}]
        """;

    private const string MainBudget = """
            budgets:
              quarterly-cost:
                limit: 3000
                timeUnit: QUARTERLY
                notifications:
                  - {notificationType: ACTUAL, threshold: 2500, thresholdType: ABSOLUTE_VALUE, subscribers: [{subscriptionType: EMAIL, address: finance@example.com}]}
        """;
}

/// <summary>Budgets Budgets would refuse, as a table: a clear error with its line before anything is changed.</summary>
public sealed class EstateBudgetParserTests
{
    [Theory]
    [InlineData("b: {timeUnit: MONTHLY}", "'limit' is required")]
    [InlineData("b: {limit: 10, timeUnit: WEEKLY}", "'WEEKLY' is not allowed")]
    [InlineData("b: {limit: -5}", "must be an amount of USD greater than 0")]
    [InlineData("b: {limit: ten}", "must be an amount of USD greater than 0")]
    [InlineData("b: {limit: 10, notifications: [{notificationType: SOMETIMES, threshold: 80, subscribers: [{subscriptionType: EMAIL, address: a@example.com}]}]}", "'SOMETIMES' is not allowed")]
    [InlineData("b: {limit: 10, notifications: [{notificationType: ACTUAL, threshold: 80, subscribers: [{subscriptionType: EMAIL, address: nobody}]}]}", "'nobody' is not an e-mail address")]
    [InlineData("b: {limit: 10, notifications: [{notificationType: ACTUAL, threshold: 80, subscribers: []}]}", "must be a list of {subscriptionType, address}")]
    [InlineData("b: {limit: 10, notifications: [{notificationType: ACTUAL, threshold: -1, subscribers: [{subscriptionType: EMAIL, address: a@example.com}]}]}", "must be a number of at least 0")]
    [InlineData("b: {limit: 10, notifications: [{notificationType: ACTUAL, subscribers: [{subscriptionType: EMAIL, address: a@example.com}]}]}", "'threshold' is required")]
    [InlineData("b: {limit: 10, notifications: [{notificationType: ACTUAL, threshold: 80, subscribers: [{subscriptionType: SNS, address: topic}]}]}", "an SNS subscriber is a topic ARN")]
    [InlineData("b: {limit: 10, notifications: [{notificationType: ACTUAL, threshold: 80, subscribers: [{subscriptionType: EMAIL, address: a@example.com}]}, {notificationType: ACTUAL, threshold: 80, subscribers: [{subscriptionType: EMAIL, address: b@example.com}]}]}", "the same notification is given above")]
    [InlineData("b: {limit: 10, notifications: [{notificationType: ACTUAL, threshold: 80, subscribers: [{subscriptionType: SNS, address: 'arn:aws:sns:us-east-1:111122223333:a'}, {subscriptionType: SNS, address: 'arn:aws:sns:us-east-1:111122223333:b'}]}]}", "one SNS subscriber")]
    [InlineData("b: {limit: 10, notificatons: []}", "did you mean 'notifications'?")]
    [InlineData("'a:b': {limit: 10}", "'a:b' is not a valid name here")]
    public void Parse_BadBudget_IsReported(string budget, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n    budgets:\n      {budget}\n", "."));

        Assert.Contains(error.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
