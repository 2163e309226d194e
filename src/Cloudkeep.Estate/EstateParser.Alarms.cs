using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// SNS topics with their subscriptions, and CloudWatch metric alarms. A topic: <c>region</c>,
/// <c>displayName</c>, <c>policy</c> (its access policy), <c>signatureVersion</c> (1 or 2) and <c>subscriptions</c> (a list of
/// <c>{protocol, endpoint}</c>). An alarm: the metric (<c>namespace</c>, <c>metricName</c>,
/// <c>dimensions</c>), how it is judged (<c>statistic</c>, <c>period</c>, <c>evaluationPeriods</c>,
/// <c>datapointsToAlarm</c>, <c>threshold</c>, <c>comparisonOperator</c>, <c>treatMissingData</c>)
/// and its actions, each the name of a topic of the account, a <c>${topic...}</c> reference or an ARN.
/// </summary>
internal sealed partial class EstateParser
{
    private static readonly string[] TopicKeys = [.. TopicHandler.Keys, "subscriptions"];

    private static readonly string[] Statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    private static readonly string[] ComparisonOperators = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"];

    private static readonly string[] MissingDataTreatments = ["missing", "ignore", "breaching", "notBreaching"];

    /// <summary>Each alarm action naming a topic of the file, checked once every account's topics are known.</summary>
    private readonly List<(string Account, string? Region, string Topic, YamlNode Node, string At)> _alarmTopics = [];

    private void Topic(string account, string name, YamlMappingNode? map, YamlNode node, string at)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(map, at, TopicKeys))
        {
            var here = $"{at}.{key}";
            switch (key)
            {
                case "subscriptions":
                    Subscriptions(account, name, value, here);
                    break;
                case "region":
                    Field(fields, key, Region(value, here));
                    break;
                case "policy":
                    Field(fields, key, Document(value, here, PolicyUse.Resource));
                    break;
                case "signatureVersion":
                    // "1" is SNS's default, which a topic without the field has: kept only when it says "2".
                    Field(fields, key, Text(value, here) switch
                    {
                        "1" or null => null,
                        "2" => "2",
                        _ => ErrorValue(value, here, "SNS signs messages with SignatureVersion 1 (SHA1) or 2 (SHA256)"),
                    });
                    break;
                default:
                    Field(fields, key, Text(value, here) is { } display
                        ? display.Length <= 100 ? display : ErrorValue(value, here, "SNS allows at most 100 characters")
                        : null);
                    break;
            }
        }

        _resources.Add(new EstateResource(ResourceKind.Topic, account, name, fields));
    }

    private void Subscriptions(string account, string topic, YamlNode node, string at)
    {
        if (node is not YamlSequenceNode list)
        {
            ErrorValue(node, at, "must be a list of {protocol, endpoint}");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var here = $"{at}[{i}]";
            string? protocol = null, endpoint = null;
            foreach (var (key, value) in Entries(Mapping(list.Children[i], here), here, ["protocol", "endpoint"]))
            {
                if (key == "protocol")
                {
                    protocol = Text(value, $"{here}.protocol") is { } p
                        ? SubscriptionHandler.Protocols.Contains(p) ? p : ErrorValue(value, $"{here}.protocol", $"'{p}' is not a protocol Cloudkeep SNS delivers to; expected one of: {string.Join(", ", SubscriptionHandler.Protocols)}")
                        : null;
                }
                else
                {
                    endpoint = Text(value, $"{here}.endpoint");
                }
            }

            if (protocol is null || endpoint is null)
            {
                if (!_errors.Any(e => e.Contains(here, StringComparison.Ordinal)))
                {
                    Error(list.Children[i], here, "a subscription needs a protocol and an endpoint");
                }

                continue;
            }

            var problem = protocol switch
            {
                "email" or "email-json" when !EmailAddress().IsMatch(endpoint) => $"'{endpoint}' is not an e-mail address",
                "http" or "https" when !endpoint.StartsWith(protocol + "://", StringComparison.Ordinal) => $"a {protocol} endpoint is a URL starting {protocol}://",
                _ => null,
            };
            if (problem is not null)
            {
                Error(list.Children[i], $"{here}.endpoint", problem);
            }
            else if (!seen.Add($"{protocol}:{endpoint}"))
            {
                Error(list.Children[i], here, $"{protocol}:{endpoint} is already subscribed above");
            }
            else
            {
                _resources.Add(new EstateResource(ResourceKind.Subscription, account, $"{topic}/{protocol}:{endpoint}",
                    new Dictionary<string, string> { ["topic"] = $"${{topic.{account}.{topic}.arn}}" }));
            }
        }
    }

    private void Alarm(string account, string name, YamlMappingNode? map, YamlNode node, string at)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var actions = new List<(string Topic, YamlNode Node, string At)>();
        foreach (var (key, value) in Entries(map, at, AlarmHandler.Keys))
        {
            var here = $"{at}.{key}";
            Field(fields, key, key switch
            {
                "region" => Region(value, here),
                "dimensions" => Dimensions(value, here),
                "statistic" => Text(value, here) is { } statistic
                    ? Statistics.Contains(statistic) || Percentile().IsMatch(statistic) ? statistic : ErrorValue(value, here, $"'{statistic}' is not a statistic; expected one of: {string.Join(", ", Statistics)}, or a percentile such as p99")
                    : null,
                "period" => Int(value, here) is { } period
                    ? period is 10 or 30 || (period > 0 && period % 60 == 0) ? Number(period) : ErrorValue(value, here, "must be 10, 30 or a multiple of 60 seconds")
                    : null,
                "evaluationPeriods" or "datapointsToAlarm" => Int(value, here) is { } count
                    ? count >= 1 ? Number(count) : ErrorValue(value, here, "must be at least 1")
                    : null,
                "threshold" => Text(value, here) is { } threshold
                    ? double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? AlarmHandler.Number(number) : ErrorValue(value, here, "must be a number")
                    : null,
                "comparisonOperator" => OneOf(value, here, ComparisonOperators),
                "treatMissingData" => OneOf(value, here, MissingDataTreatments),
                "alarmActions" or "okActions" or "insufficientDataActions" => Strings(value, here) is { } list
                    ? CanonicalJson.StringList(list.Select(a => AlarmAction(account, a, value, here, actions)))
                    : null,
                _ => Text(value, here),
            });
        }

        foreach (var required in new[] { "namespace", "metricName", "statistic", "period", "evaluationPeriods", "threshold", "comparisonOperator" })
        {
            Require(fields, node, at, required);
        }

        if (fields.TryGetValue("datapointsToAlarm", out var m) && fields.TryGetValue("evaluationPeriods", out var n) && long.Parse(m, CultureInfo.InvariantCulture) > long.Parse(n, CultureInfo.InvariantCulture))
        {
            Error(node, $"{at}.datapointsToAlarm", "must not be more than evaluationPeriods");
        }

        if (fields.TryGetValue("period", out var p) && fields.TryGetValue("evaluationPeriods", out var e) && long.Parse(p, CultureInfo.InvariantCulture) * long.Parse(e, CultureInfo.InvariantCulture) > 7 * 24 * 3600)
        {
            Error(node, at, "period times evaluationPeriods may not exceed 7 days (CloudWatch refuses a longer evaluation range)");
        }

        // "Create a billing alarm": billing metric data is stored in US East (N. Virginia) only, whatever the account's regions.
        if (fields.GetValueOrDefault("namespace") == "AWS/Billing" && fields.GetValueOrDefault("region") != "us-east-1")
        {
            Error(node, $"{at}.region", "AWS/Billing metrics exist only in us-east-1: give 'region: us-east-1'");
        }

        foreach (var (topic, actionNode, actionAt) in actions)
        {
            _alarmTopics.Add((account, fields.GetValueOrDefault("region"), topic, actionNode, actionAt));
        }

        _resources.Add(new EstateResource(ResourceKind.Alarm, account, name, fields));
    }

    /// <summary>An action as a topic ARN or reference; a plain name is a topic of the same account.</summary>
    private static string AlarmAction(string account, string action, YamlNode node, string at, List<(string, YamlNode, string)> topics)
    {
        if (action.StartsWith("arn:", StringComparison.Ordinal) || action.Contains("${", StringComparison.Ordinal))
        {
            return action;
        }

        topics.Add((action, node, at));
        return $"${{topic.{account}.{action}.arn}}";
    }

    /// <summary>Every topic an alarm names must be declared, in the alarm's region: CloudWatch notifies topics of its own region only.</summary>
    private void CheckAlarms()
    {
        foreach (var (account, region, topic, node, at) in _alarmTopics)
        {
            var topics = _resources.Where(r => r.Kind == ResourceKind.Topic && r.Account == account).ToList();
            if (topics.FirstOrDefault(t => t.Name == topic) is not { } declared)
            {
                var hint = Suggestions.Closest(topic, topics.Select(t => t.Name)) is { } close ? $"; did you mean '{close}'?" : "";
                Error(node, at, $"no topic '{topic}' is declared in account '{account}'{hint}");
            }
            else if (declared.Fields.GetValueOrDefault("region") != region)
            {
                Error(node, at, $"topic '{topic}' is in {declared.Fields.GetValueOrDefault("region") ?? "the command's region"} and the alarm in {region ?? "the command's region"}: CloudWatch notifies topics of the alarm's region only");
            }
        }
    }

    private string? Dimensions(YamlNode node, string at)
    {
        var map = Mapping(node, at);
        var dimensions = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in Entries(map, at, null))
        {
            if (Text(value, $"{at}.{key}") is { } text)
            {
                dimensions.Add(KeyValuePair.Create(key, text));
            }
        }

        return map is null ? null : dimensions.Count > 30 ? ErrorValue(node, at, "CloudWatch allows at most 30 dimensions") : CanonicalJson.StringMap(dimensions);
    }

    private string? Region(YamlNode node, string at) =>
        Text(node, at) is { } region ? RegionName().IsMatch(region) ? region : ErrorValue(node, at, $"'{region}' is not a region name (e.g. eu-west-1)") : null;

    private string? OneOf(YamlNode node, string at, string[] allowed)
    {
        if (Text(node, at) is not { } text)
        {
            return null;
        }

        if (allowed.Contains(text))
        {
            return text;
        }

        var hint = Suggestions.Closest(text, allowed) is { } close ? $"did you mean '{close}'? " : "";
        return ErrorValue(node, at, $"'{text}' is not allowed; {hint}expected one of: {string.Join(", ", allowed)}");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex TopicName();

    // Printable ASCII, not starting or ending with a space.
    [GeneratedRegex("^[!-~](?:[ -~]{0,253}[!-~])?$")]
    private static partial Regex AlarmName();

    [GeneratedRegex(@"^p(?:100|[0-9]{1,2})(?:\.[0-9]+)?$")]
    private static partial Regex Percentile();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailAddress();
}
