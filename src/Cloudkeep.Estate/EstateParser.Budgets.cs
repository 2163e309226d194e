using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// AWS Budgets cost budgets: <c>limit</c> (USD a period), <c>timeUnit</c> (MONTHLY when left out)
/// and <c>notifications</c>, each with <c>notificationType</c> (ACTUAL or FORECASTED),
/// <c>comparisonOperator</c> (GREATER_THAN when left out), <c>threshold</c>, <c>thresholdType</c>
/// (PERCENTAGE when left out) and <c>subscribers</c> (<c>{subscriptionType: EMAIL|SNS, address}</c>).
/// </summary>
internal sealed partial class EstateParser
{
    private static readonly string[] NotificationKeys = ["notificationType", "comparisonOperator", "threshold", "thresholdType", "subscribers"];

    private void Budget(string account, string name, YamlMappingNode? map, YamlNode node, string at)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(map, at, BudgetHandler.Keys))
        {
            var here = $"{at}.{key}";
            Field(fields, key, key switch
            {
                "limit" => Text(value, here) is { } limit
                    ? decimal.TryParse(limit, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0
                        ? BudgetHandler.Amount(amount)
                        : ErrorValue(value, here, "must be an amount of USD greater than 0")
                    : null,
                "timeUnit" => OneOf(value, here, BudgetHandler.TimeUnits),
                "notifications" => Notifications(value, here),
                _ => Text(value, here),
            });
        }

        Require(fields, node, at, "limit");
        fields.TryAdd("timeUnit", "MONTHLY");
        _resources.Add(new EstateResource(ResourceKind.Budget, account, name, fields));
    }

    private string? Notifications(YamlNode node, string at)
    {
        if (node is not YamlSequenceNode list)
        {
            return ErrorValue(node, at, "must be a list of notifications");
        }

        if (list.Children.Count > 10)
        {
            return ErrorValue(node, at, "a budget can have up to 10 notifications");
        }

        var notifications = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var here = $"{at}[{i}]";
            var map = Mapping(list.Children[i], here);
            var notification = new JsonObject { ["comparisonOperator"] = "GREATER_THAN", ["thresholdType"] = "PERCENTAGE" };
            foreach (var (key, value) in Entries(map, here, NotificationKeys))
            {
                var field = $"{here}.{key}";
                switch (key)
                {
                    case "notificationType":
                        notification[key] = OneOf(value, field, ["ACTUAL", "FORECASTED"]);
                        break;
                    case "comparisonOperator":
                        notification[key] = OneOf(value, field, ["GREATER_THAN", "LESS_THAN", "EQUAL_TO"]);
                        break;
                    case "thresholdType":
                        notification[key] = OneOf(value, field, ["PERCENTAGE", "ABSOLUTE_VALUE"]);
                        break;
                    case "threshold":
                        notification[key] = Text(value, field) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) && double.IsFinite(threshold) && threshold >= 0
                            ? JsonValue.Create(threshold)
                            : ErrorValue(value, field, "must be a number of at least 0");
                        break;
                    case "subscribers":
                        notification[key] = Subscribers(value, field);
                        break;
                }
            }

            if (map is null)
            {
                continue;
            }

            foreach (var required in new[] { "notificationType", "threshold", "subscribers" })
            {
                if (notification[required] is null && !_errors.Any(e => e.Contains($"{here}.{required}", StringComparison.Ordinal)))
                {
                    Error(list.Children[i], here, $"'{required}' is required");
                }
            }

            // Budgets names a notification by its type, operator, threshold and threshold type: two alike are one.
            var identity = CanonicalJson.Of(new JsonObject
            {
                ["n"] = notification["notificationType"]?.DeepClone(), ["c"] = notification["comparisonOperator"]?.DeepClone(),
                ["t"] = notification["threshold"]?.DeepClone(), ["y"] = notification["thresholdType"]?.DeepClone(),
            });
            if (!seen.Add(identity))
            {
                Error(list.Children[i], here, "the same notification is given above");
            }

            notifications.Add(notification);
        }

        return BudgetHandler.CanonicalNotifications(notifications);
    }

    private JsonArray? Subscribers(YamlNode node, string at)
    {
        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            ErrorValue(node, at, "must be a list of {subscriptionType, address}");
            return null;
        }

        var subscribers = new JsonArray();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var here = $"{at}[{i}]";
            string? type = null, address = null;
            foreach (var (key, value) in Entries(Mapping(list.Children[i], here), here, ["subscriptionType", "address"]))
            {
                if (key == "subscriptionType")
                {
                    type = OneOf(value, $"{here}.{key}", ["EMAIL", "SNS"]);
                }
                else
                {
                    address = Text(value, $"{here}.{key}");
                }
            }

            if (type is null || address is null)
            {
                Error(list.Children[i], here, "a subscriber needs 'subscriptionType' and 'address'");
                continue;
            }

            if (type == "EMAIL" && !address.Contains("${", StringComparison.Ordinal) && !EmailAddress().IsMatch(address))
            {
                Error(list.Children[i], $"{here}.address", $"'{address}' is not an e-mail address");
            }
            else if (type == "SNS" && !address.StartsWith("arn:aws:sns:", StringComparison.Ordinal) && !address.StartsWith("${topic.", StringComparison.Ordinal))
            {
                Error(list.Children[i], $"{here}.address", "an SNS subscriber is a topic ARN or a ${topic.ACCOUNT.NAME.arn} reference");
            }

            subscribers.Add(new JsonObject { ["subscriptionType"] = type, ["address"] = address });
        }

        // "A notification can have one SNS subscriber and up to 10 email subscribers" (Budgets API reference, Notification).
        if (subscribers.Count(s => s!["subscriptionType"]!.GetValue<string>() == "SNS") > 1 || subscribers.Count(s => s!["subscriptionType"]!.GetValue<string>() == "EMAIL") > 10)
        {
            ErrorValue(node, at, "a notification can have one SNS subscriber and up to 10 EMAIL subscribers");
        }

        return subscribers;
    }

    [GeneratedRegex("^[^:\\\\]{1,100}$")]
    private static partial Regex BudgetName();
}
