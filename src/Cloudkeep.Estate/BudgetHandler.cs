using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// The account's AWS Budgets cost budgets with their notifications and subscribers. Budgets keeps a
/// notification's subscribers under it, so the file does too: a changed notification list is
/// applied as the notifications and subscribers to add and remove, each undone if a later call fails.
/// </summary>
internal sealed class BudgetHandler(EstateConnection connection) : IResourceHandler
{
    /// <summary>What a budget may say; export writes them in this order.</summary>
    internal static readonly string[] Keys = ["limit", "timeUnit", "notifications"];

    internal static readonly string[] TimeUnits = ["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"];

    public IReadOnlyCollection<string> FixedFields => [];

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        JsonObject budget;
        try
        {
            budget = (await CallAsync("DescribeBudget", new JsonObject { ["BudgetName"] = desired.Name }, cancellationToken))["Budget"]!.AsObject();
        }
        catch (BudgetsException e) when (e.Code == "NotFoundException")
        {
            return null;
        }

        var notifications = new JsonArray();
        foreach (var notification in (await CallAsync("DescribeNotificationsForBudget", new JsonObject { ["BudgetName"] = desired.Name }, cancellationToken))["Notifications"]!.AsArray().OfType<JsonObject>())
        {
            var identity = Identity(notification);
            var subscribers = (await CallAsync("DescribeSubscribersForNotification", new JsonObject { ["BudgetName"] = desired.Name, ["Notification"] = identity }, cancellationToken))["Subscribers"]!.AsArray();
            notifications.Add(new JsonObject
            {
                ["notificationType"] = identity["NotificationType"]!.DeepClone(),
                ["comparisonOperator"] = identity["ComparisonOperator"]!.DeepClone(),
                ["threshold"] = identity["Threshold"]!.GetValue<double>(),
                ["thresholdType"] = identity["ThresholdType"]!.DeepClone(),
                ["subscribers"] = new JsonArray([.. subscribers.OfType<JsonObject>().Select(s => (JsonNode)new JsonObject { ["subscriptionType"] = s["SubscriptionType"]!.DeepClone(), ["address"] = s["Address"]!.DeepClone() })]),
            });
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["limit"] = Amount(decimal.Parse(budget["BudgetLimit"]!["Amount"]!.GetValue<string>(), CultureInfo.InvariantCulture)),
            ["timeUnit"] = budget["TimeUnit"]!.GetValue<string>(),
            ["notifications"] = CanonicalNotifications(notifications),
        };
    }

    /// <summary>Every budget's name, following DescribeBudgets' pages (100 a page by default).</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await CallAsync("DescribeBudgets", token is null ? [] : new JsonObject { ["NextToken"] = token }, cancellationToken);
            names.AddRange(page["Budgets"]!.AsArray().Select(b => b!["BudgetName"]!.GetValue<string>()));
            token = page["NextToken"]?.GetValue<string>();
        }
        while (token is not null);

        return [.. names.Order(StringComparer.Ordinal)];
    }

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        await CreateAsync(resolved.Name, resolved.Fields, cancellationToken);
        journal.Done("CreateBudget", () => CallAsync("DeleteBudget", new JsonObject { ["BudgetName"] = resolved.Name }, CancellationToken.None));
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (fields.Contains("limit") || fields.Contains("timeUnit"))
        {
            var wanted = new Dictionary<string, string>(live, StringComparer.Ordinal);
            foreach (var field in fields.Where(f => f != "notifications"))
            {
                wanted[field] = resolved.Fields[field];
            }

            await CallAsync("UpdateBudget", new JsonObject { ["NewBudget"] = Budget(resolved.Name, wanted) }, cancellationToken);
            journal.Done("UpdateBudget", () => CallAsync("UpdateBudget", new JsonObject { ["NewBudget"] = Budget(resolved.Name, live) }, CancellationToken.None));
        }

        if (fields.Contains("notifications"))
        {
            await ChangeNotificationsAsync(resolved.Name, Parse(live.GetValueOrDefault("notifications")), Parse(resolved.Fields["notifications"]), journal, cancellationToken);
        }
    }

    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await ReadAsync(resource, cancellationToken) is not { } live)
        {
            return;
        }

        await CallAsync("DeleteBudget", new JsonObject { ["BudgetName"] = resource.Name }, cancellationToken);
        // Undone by the same budget and notifications; their state starts again from OK.
        journal.Done("DeleteBudget", () => CreateAsync(resource.Name, live, CancellationToken.None));
    }

    /// <summary>How the file and export write an amount: the digits that matter, no exponent.</summary>
    public static string Amount(decimal amount) => amount.ToString("0.############", CultureInfo.InvariantCulture);

    /// <summary>A notification list in one order (subscribers sorted in each), so the file and the live budget compare as text.</summary>
    public static string CanonicalNotifications(JsonArray notifications)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var sorted = notifications.OfType<JsonObject>().Select(n =>
        {
            var copy = n.DeepClone().AsObject();
            if (copy["subscribers"] is JsonArray subscribers)
            {
                copy["subscribers"] = new JsonArray([.. subscribers.OfType<JsonObject>().OrderBy(CanonicalJson.Of, StringComparer.Ordinal).Select(s => s.DeepClone())]);
            }

            return copy;
        }).OrderBy(CanonicalJson.Of, StringComparer.Ordinal);
        return CanonicalJson.Of(new JsonArray([.. sorted]));
    }

    private async Task ChangeNotificationsAsync(string name, List<JsonObject> live, List<JsonObject> wanted, ChangeJournal journal, CancellationToken cancellationToken)
    {
        string Key(JsonObject n) => CanonicalJson.Of(Identity(Wire(n)));
        var liveByKey = live.ToDictionary(Key, StringComparer.Ordinal);
        var wantedByKey = wanted.ToDictionary(Key, StringComparer.Ordinal);
        foreach (var (key, gone) in liveByKey.Where(l => !wantedByKey.ContainsKey(l.Key)))
        {
            await CallAsync("DeleteNotification", new JsonObject { ["BudgetName"] = name, ["Notification"] = Identity(Wire(gone)) }, cancellationToken);
            journal.Done("DeleteNotification", () => CallAsync("CreateNotification", WithSubscribers(name, gone), CancellationToken.None));
        }

        foreach (var (key, added) in wantedByKey.Where(w => !liveByKey.ContainsKey(w.Key)))
        {
            await CallAsync("CreateNotification", WithSubscribers(name, added), cancellationToken);
            journal.Done("CreateNotification", () => CallAsync("DeleteNotification", new JsonObject { ["BudgetName"] = name, ["Notification"] = Identity(Wire(added)) }, CancellationToken.None));
        }

        foreach (var (key, desired) in wantedByKey.Where(w => liveByKey.ContainsKey(w.Key)))
        {
            var identity = Identity(Wire(desired));
            var before = Subscribers(liveByKey[key]);
            var after = Subscribers(desired);
            foreach (var subscriber in after.Where(s => !before.Contains(s)))
            {
                await SubscriberAsync("CreateSubscriber", name, identity, subscriber, cancellationToken);
                journal.Done("CreateSubscriber", () => SubscriberAsync("DeleteSubscriber", name, identity, subscriber, CancellationToken.None));
            }

            foreach (var subscriber in before.Where(s => !after.Contains(s)))
            {
                await SubscriberAsync("DeleteSubscriber", name, identity, subscriber, cancellationToken);
                journal.Done("DeleteSubscriber", () => SubscriberAsync("CreateSubscriber", name, identity, subscriber, CancellationToken.None));
            }
        }
    }

    private Task<JsonObject> SubscriberAsync(string action, string name, JsonObject identity, (string Type, string Address) subscriber, CancellationToken cancellationToken) =>
        CallAsync(action, new JsonObject
        {
            ["BudgetName"] = name,
            ["Notification"] = identity.DeepClone(),
            ["Subscriber"] = new JsonObject { ["SubscriptionType"] = subscriber.Type, ["Address"] = subscriber.Address },
        }, cancellationToken);

    private async Task CreateAsync(string name, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var input = new JsonObject { ["Budget"] = Budget(name, fields) };
        var notifications = Parse(fields.GetValueOrDefault("notifications"));
        if (notifications.Count > 0)
        {
            input["NotificationsWithSubscribers"] = new JsonArray([.. notifications.Select(n => (JsonNode)new JsonObject
            {
                ["Notification"] = Identity(Wire(n)),
                ["Subscribers"] = WireSubscribers(n),
            })]);
        }

        await CallAsync("CreateBudget", input, cancellationToken);
    }

    private static JsonObject Budget(string name, IReadOnlyDictionary<string, string> fields) => new()
    {
        ["BudgetName"] = name,
        ["BudgetLimit"] = new JsonObject { ["Amount"] = fields["limit"], ["Unit"] = "USD" },
        ["TimeUnit"] = fields.GetValueOrDefault("timeUnit") ?? "MONTHLY",
        ["BudgetType"] = "COST",
    };

    private static JsonObject WithSubscribers(string name, JsonObject notification) => new()
    {
        ["BudgetName"] = name,
        ["Notification"] = Identity(Wire(notification)),
        ["Subscribers"] = WireSubscribers(notification),
    };

    /// <summary>The file's notification in the API's member names.</summary>
    private static JsonObject Wire(JsonObject notification) => new()
    {
        ["NotificationType"] = notification["notificationType"]?.DeepClone(),
        ["ComparisonOperator"] = notification["comparisonOperator"]?.DeepClone(),
        ["Threshold"] = notification["threshold"]?.DeepClone(),
        ["ThresholdType"] = notification["thresholdType"]?.DeepClone(),
    };

    /// <summary>What Budgets names a notification by (its state left out).</summary>
    private static JsonObject Identity(JsonObject notification) => new()
    {
        ["NotificationType"] = notification["NotificationType"]?.DeepClone(),
        ["ComparisonOperator"] = notification["ComparisonOperator"]?.DeepClone(),
        ["Threshold"] = notification["Threshold"]?.DeepClone(),
        ["ThresholdType"] = notification["ThresholdType"]?.DeepClone() ?? "PERCENTAGE",
    };

    private static JsonArray WireSubscribers(JsonObject notification) =>
        [.. Subscribers(notification).Select(s => (JsonNode)new JsonObject { ["SubscriptionType"] = s.Type, ["Address"] = s.Address })];

    private static List<(string Type, string Address)> Subscribers(JsonObject notification) =>
        [.. (notification["subscribers"] as JsonArray ?? []).OfType<JsonObject>().Select(s => (s["subscriptionType"]!.GetValue<string>(), s["address"]!.GetValue<string>()))];

    private static List<JsonObject> Parse(string? notifications) =>
        notifications is null ? [] : [.. (JsonNode.Parse(notifications) as JsonArray ?? []).OfType<JsonObject>()];

    private async Task<JsonObject> CallAsync(string action, JsonObject input, CancellationToken cancellationToken)
    {
        input["AccountId"] = await connection.AccountIdAsync(cancellationToken);
        return await connection.Budgets.CallAsync(action, input, cancellationToken);
    }
}
