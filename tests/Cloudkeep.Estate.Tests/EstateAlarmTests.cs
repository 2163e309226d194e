using System.Text.Json.Nodes;
using System.Xml.Linq;
using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// SNS topics, their subscriptions and CloudWatch metric alarms as code: a billing alarm in a member
/// account's us-east-1 sending to a topic there with an e-mail subscription, and an application
/// alarm in the management account's default region; plan, apply in order (topic, subscription,
/// alarm), a second plan with nothing to do, changes, a deletion, and export read back.
/// </summary>
public sealed class EstateAlarmTests : EstateServerTest
{
    protected override bool AsAdministrator => true;

    [Fact]
    public async Task Apply_TopicThenSubscriptionThenAlarm_ThenPlansNothing()
    {
        var file = Harness.Write("estate.yaml", Estate());
        var plan = await Harness.PlanAsync(file);
        Assert.True(plan.Exit == 2, plan.Output + plan.Error);
        Assert.Contains("+ topic development/billing-alerts", plan.Output, StringComparison.Ordinal);
        Assert.Contains("+ subscription development/billing-alerts/email:billing@example.com", plan.Output, StringComparison.Ordinal);
        Assert.Contains("+ alarm development/estimated-charges", plan.Output, StringComparison.Ordinal);
        Assert.Contains("+ alarm main/api-errors", plan.Output, StringComparison.Ordinal);

        var apply = await Harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        var topic = apply.Output.IndexOf("creating topic development/billing-alerts", StringComparison.Ordinal);
        var subscription = apply.Output.IndexOf("creating subscription development/billing-alerts/email:billing@example.com", StringComparison.Ordinal);
        var alarm = apply.Output.IndexOf("creating alarm development/estimated-charges", StringComparison.Ordinal);
        Assert.True(topic >= 0 && topic < subscription && subscription < alarm, apply.Output);
        var again = await Harness.PlanAsync(file);
        Assert.True(again.Exit == 0, again.Output + again.Error);

        // The member's billing alarm is in us-east-1 and notifies the member's topic there; its subscription waits for the reader's confirmation.
        using var connection = new EstateConnection(Harness.Credentials, Server.Endpoint, "eu-west-2", TimeProvider.System);
        using var inside = await connection.ForAccountAsync(await DevelopmentIdAsync(), CancellationToken.None);
        var development = await inside.AccountIdAsync(CancellationToken.None);
        var described = await AlarmAsync(inside, "us-east-1", "estimated-charges");
        Assert.Equal(("AWS/Billing", "EstimatedCharges", "Maximum", 21600, 1, 100.0, "GreaterThanThreshold"), (
            described["Namespace"]!.GetValue<string>(), described["MetricName"]!.GetValue<string>(), described["Statistic"]!.GetValue<string>(),
            described["Period"]!.GetValue<int>(), described["EvaluationPeriods"]!.GetValue<int>(), described["Threshold"]!.GetValue<double>(),
            described["ComparisonOperator"]!.GetValue<string>()));
        Assert.Equal("""[{"Name":"Currency","Value":"USD"}]""", described["Dimensions"]!.ToJsonString());
        Assert.Equal($"arn:aws:sns:us-east-1:{development}:billing-alerts", Assert.Single(described["AlarmActions"]!.AsArray())!.GetValue<string>());
        var subscriptions = await SubscriptionsAsync(inside, "us-east-1", $"arn:aws:sns:us-east-1:{development}:billing-alerts");
        Assert.Equal([("email", "billing@example.com", "PendingConfirmation")], subscriptions);

        // The management account's alarm is in the command's region, on the topic there.
        var mainAlarm = await AlarmAsync(connection, "eu-west-2", "api-errors");
        Assert.Equal($"arn:aws:sns:eu-west-2:{await connection.AccountIdAsync(CancellationToken.None)}:ops-alerts", Assert.Single(mainAlarm["OKActions"]!.AsArray())!.GetValue<string>());
        Assert.Equal("notBreaching", mainAlarm["TreatMissingData"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_ThresholdAndDisplayNameChanged_SubscriptionAdded_AlarmDeleted_ThenExportRoundTrips()
    {
        var file = Harness.Write("estate.yaml", Estate());
        var first = await Harness.ApplyAsync(file);
        Assert.True(first.Exit == 0, first.Output + first.Error);

        var changed = Harness.Write("estate.yaml", Estate(threshold: "250.5", displayName: "Billing (development)", secondEmail: true, mainAlarm: false));
        var plan = await Harness.PlanAsync(changed);
        Assert.True(plan.Exit == 2, plan.Output + plan.Error);
        Assert.Contains("~ alarm development/estimated-charges", plan.Output, StringComparison.Ordinal);
        Assert.Contains("    threshold: 100 -> 250.5", plan.Output, StringComparison.Ordinal);
        Assert.Contains("~ topic development/billing-alerts", plan.Output, StringComparison.Ordinal);
        Assert.Contains("+ subscription development/billing-alerts/email:finance@example.com", plan.Output, StringComparison.Ordinal);
        Assert.Contains("- alarm main/api-errors", plan.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 1 to create, 2 to update, 1 to delete.", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyDeletingAsync(changed);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        var again = await Harness.PlanAsync(changed);
        Assert.True(again.Exit == 0, again.Output + again.Error);

        using var connection = new EstateConnection(Harness.Credentials, Server.Endpoint, "eu-west-2", TimeProvider.System);
        using var inside = await connection.ForAccountAsync(await DevelopmentIdAsync(), CancellationToken.None);
        Assert.Equal(250.5, (await AlarmAsync(inside, "us-east-1", "estimated-charges"))["Threshold"]!.GetValue<double>());
        // The update sent the whole definition again: what the file did not change is as it was.
        Assert.Equal("""[{"Name":"Currency","Value":"USD"}]""", (await AlarmAsync(inside, "us-east-1", "estimated-charges"))["Dimensions"]!.ToJsonString());
        var main = await connection.CloudWatch("eu-west-2").CallAsync("DescribeAlarms", "eu-west-2", new JsonObject { ["AlarmNames"] = new JsonArray("api-errors") }, CancellationToken.None);
        Assert.Empty(main["MetricAlarms"]!.AsArray());

        var export = await Harness.ExportAsync();
        Assert.True(export.Exit == 0, export.Output + export.Error);
        Assert.Contains("topics:", export.Output, StringComparison.Ordinal);
        Assert.Contains("alarms:", export.Output, StringComparison.Ordinal);
        Assert.Contains("${topic.development.billing-alerts.arn}", export.Output, StringComparison.Ordinal);
        Assert.Contains("endpoint: finance@example.com", export.Output, StringComparison.Ordinal);
        var exported = Harness.Write("exported.yaml", export.Output);
        var replan = await Harness.PlanAsync(exported);
        Assert.True(replan.Exit == 0, replan.Output + replan.Error);
    }

    [Fact]
    public async Task Plan_PendingSubscriptionLeftOutOfTheFile_IsKeptForSnsToExpire()
    {
        var file = Harness.Write("estate.yaml", Estate());
        Assert.Equal(0, (await Harness.ApplyAsync(file)).Exit);

        var plan = await Harness.PlanAsync(Harness.Write("estate.yaml", Estate(subscribed: false)));

        // SNS lists a pending subscription without an ARN, so nothing could unsubscribe it.
        Assert.True(plan.Exit == 0, plan.Output + plan.Error);
    }

    [Fact]
    public async Task Apply_ConfirmedSubscriptionLeftOut_IsUnsubscribed_AndTheTopicPolicyRoundTrips()
    {
        using var endpoint = new SnsEndpoint();
        var file = Harness.Write("estate.yaml", PolicyTopic(endpoint.Url));
        var apply = await Harness.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);

        // The endpoint's owner confirms through the SubscribeURL SNS posts: the subscription gets its ARN.
        var confirmation = System.Text.Json.JsonDocument.Parse(await endpoint.NextAsync()).RootElement;
        using (var http = new HttpClient())
        {
            Assert.True((await http.GetAsync(new Uri(confirmation.GetProperty("SubscribeURL").GetString()!))).IsSuccessStatusCode);
        }

        Assert.Equal(0, (await Harness.PlanAsync(file)).Exit);
        var export = await Harness.ExportAsync();
        Assert.True(export.Exit == 0, export.Output + export.Error);
        Assert.Contains("Resource: ${topic.main.ops-alerts.arn}", export.Output, StringComparison.Ordinal);
        var replan = await Harness.PlanAsync(Harness.Write("exported.yaml", export.Output));
        Assert.True(replan.Exit == 0, replan.Output + replan.Error);

        var without = Harness.Write("estate.yaml", PolicyTopic(null));
        var plan = await Harness.PlanAsync(without);
        Assert.Contains($"- subscription main/ops-alerts/http:{endpoint.Url}", plan.Output, StringComparison.Ordinal);
        var deleted = await Harness.ApplyDeletingAsync(without);
        Assert.True(deleted.Exit == 0, deleted.Output + deleted.Error);
        Assert.Equal(0, (await Harness.PlanAsync(without)).Exit);
        using var connection = new EstateConnection(Harness.Credentials, Server.Endpoint, "eu-west-2", TimeProvider.System);
        Assert.Empty(await SubscriptionsAsync(connection, "eu-west-2", $"arn:aws:sns:eu-west-2:{await connection.AccountIdAsync(CancellationToken.None)}:ops-alerts"));
    }

    private async Task<string> DevelopmentIdAsync()
    {
        using var http = Harness.Http();
        var organizations = new OrganizationsClient(http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);
        return (await organizations.ListAccountsAsync(CancellationToken.None)).Single(a => a["Name"]!.GetValue<string>() == "development")["Id"]!.GetValue<string>();
    }

    private static async Task<JsonObject> AlarmAsync(EstateConnection connection, string region, string name)
    {
        var answer = await connection.CloudWatch(region).CallAsync("DescribeAlarms", region, new JsonObject { ["AlarmNames"] = new JsonArray(name) }, CancellationToken.None);
        return Assert.Single(answer["MetricAlarms"]!.AsArray())!.AsObject();
    }

    private static async Task<List<(string Protocol, string Endpoint, string Arn)>> SubscriptionsAsync(EstateConnection connection, string region, string topicArn)
    {
        var listed = await connection.Sns(region).ListAsync("ListSubscriptionsByTopic", region, [new("TopicArn", topicArn)], "Subscriptions", CancellationToken.None);
        return [.. listed.Select(s => (Child(s, "Protocol"), Child(s, "Endpoint"), Child(s, "SubscriptionArn")))];
    }

    private static string Child(XElement element, string name) => IamClient.Child(element, name) ?? "";

    private static string Estate(string threshold = "100", string? displayName = null, bool secondEmail = false, bool mainAlarm = true, bool subscribed = true) => $$"""
        accounts:
          main:
            management: true
            topics:
              ops-alerts: {displayName: Operations}
        {{(mainAlarm ? MainAlarm : "")}}
          development:
            email: development@example.com
            topics:
              billing-alerts:
                region: us-east-1
        {{(displayName is null ? "" : $"        displayName: {displayName}")}}
        {{(subscribed ? "        subscriptions:" : "")}}
        {{(subscribed ? "          - {protocol: email, endpoint: billing@example.com}" : "")}}
        {{(secondEmail ? "          - {protocol: email, endpoint: finance@example.com}" : "")}}
            alarms:
              estimated-charges:
                region: us-east-1
                description: Estimated charges this month are over the development budget
                namespace: AWS/Billing
                metricName: EstimatedCharges
                dimensions: {Currency: USD}
                statistic: Maximum
                period: 21600
                evaluationPeriods: 1
                threshold: {{threshold}}
                comparisonOperator: GreaterThanThreshold
                alarmActions: [billing-alerts]
        """;

    /// <summary>A topic whose policy lets the account's CloudWatch alarms publish, with an HTTP subscriber when one is given.</summary>
    private static string PolicyTopic(string? subscriber) => """
        accounts:
          main:
            management: true
            topics:
              ops-alerts:
                policy:
                  Version: "2012-10-17"
                  Statement:
                    - Sid: AlarmsOfThisAccount
                      Effect: Allow
                      Principal:
                        Service: cloudwatch.amazonaws.com
                      Action: sns:Publish
                      Resource: "${topic.main.ops-alerts.arn}"
                      Condition:
                        StringEquals:
                          aws:SourceAccount: "${account.main.id}"

        """ + (subscriber is null ? "" : $"        subscriptions: [{{protocol: http, endpoint: \"{subscriber}\"}}]\n");

    private const string MainAlarm = """
            alarms:
              api-errors:
                namespace: App
                metricName: Errors
                dimensions: {Service: api}
                statistic: Sum
                period: 60
                evaluationPeriods: 3
                datapointsToAlarm: 2
                threshold: 5
                comparisonOperator: GreaterThanOrEqualToThreshold
                treatMissingData: notBreaching
                alarmActions: [ops-alerts]
                okActions: ["${topic.main.ops-alerts.arn}"]
        """;
}
