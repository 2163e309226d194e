using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Cloudkeep.Services.Sns;

/// <summary>Topic and subscription ARNs: arn:aws:sns:region:account:topic[:subscription-id].</summary>
public static partial class SnsArns
{
    public static string Topic(string region, string accountId, string name) => $"arn:aws:sns:{region}:{accountId}:{name}";

    public static string Subscription(string topicArn) => topicArn + ":" + Guid.NewGuid().ToString("D");

    /// <summary>Topic names: 1-256 ASCII letters, digits, hyphens and underscores; a FIFO topic's ends with ".fifo".</summary>
    public static bool IsValidTopicName(string name) => TopicName().IsMatch(name);

    public static bool TryParseTopic(string? arn, [NotNullWhen(true)] out (string Region, string Account, string Name)? parts)
    {
        parts = null;
        var match = arn is null ? null : TopicArn().Match(arn);
        if (match is null || !match.Success)
        {
            return false;
        }

        parts = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        return true;
    }

    /// <summary>The account in a topic ARN, or null when it is not one.</summary>
    public static string? AccountOf(string? topicArn) => TryParseTopic(topicArn, out var parts) ? parts.Value.Account : null;

    /// <summary>The topic ARN a subscription ARN belongs to, or null when it is not one.</summary>
    public static string? TopicOfSubscription(string? arn)
    {
        if (arn is null || !SubscriptionArn().IsMatch(arn))
        {
            return null;
        }

        return arn[..arn.LastIndexOf(':')];
    }

    [GeneratedRegex(@"^(?:[A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\.fifo)$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicName();

    [GeneratedRegex(@"^arn:aws:sns:([a-z0-9-]{1,32}):(\d{12}):([A-Za-z0-9_.-]{1,256})$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicArn();

    [GeneratedRegex(@"^arn:aws:sns:[a-z0-9-]{1,32}:\d{12}:[A-Za-z0-9_.-]{1,256}:[0-9a-f-]{36}$", RegexOptions.CultureInvariant)]
    private static partial Regex SubscriptionArn();
}
