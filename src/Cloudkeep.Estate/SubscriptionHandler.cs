using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// Subscriptions to the file's topics, named "TOPIC/PROTOCOL:ENDPOINT" (a topic name has no '/',
/// a protocol no ':'). An e-mail or HTTP/S endpoint stays pending until its owner confirms through
/// the message SNS sends it; a pending subscription exists for plan, so apply does not subscribe it
/// again. SNS lists a pending subscription without an ARN, so one the file no longer declares cannot
/// be unsubscribed: it is left to expire unconfirmed, and only confirmed ones are deleted.
/// </summary>
internal sealed class SubscriptionHandler(EstateConnection connection, TopicHandler topics) : IResourceHandler
{
    private const string Pending = "PendingConfirmation";

    /// <summary>The subscriptions' protocols Cloudkeep SNS delivers to (it has no SQS, Lambda, SMS or mobile push).</summary>
    internal static readonly string[] Protocols = ["email", "email-json", "http", "https"];

    public IReadOnlyCollection<string> FixedFields => ["topic"];

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken) =>
        await FindAsync(desired, cancellationToken) is { } found ? new Dictionary<string, string>(StringComparer.Ordinal) { ["topic"] = found.TopicArn } : null;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var (topic, region, arn) in await topics.OwnAsync(cancellationToken))
        {
            names.AddRange((await SubscriptionsAsync(region, arn, cancellationToken))
                .Where(s => s.Arn != Pending)
                .Select(s => $"{topic}/{s.Protocol}:{s.Endpoint}"));
        }

        return [.. names.Distinct().Order(StringComparer.Ordinal)];
    }

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var topicArn = await TopicArnAsync(resolved, cancellationToken)
            ?? throw new EstateException($"{resolved.Address}: topic '{Parts(resolved.Name).Topic}' does not exist");
        var region = TopicHandler.RegionOf(topicArn);
        var (_, protocol, endpoint) = Parts(resolved.Name);
        // ReturnSubscriptionArn: the ARN of a pending subscription too, so a failure later in this apply can unsubscribe it.
        var answer = await connection.Sns(region).CallAsync("Subscribe", region,
            [new("TopicArn", topicArn), new("Protocol", protocol), new("Endpoint", endpoint), new("ReturnSubscriptionArn", "true")], cancellationToken);
        var arn = IamClient.Descendant(answer, "SubscriptionArn") ?? "";
        journal.Done("Subscribe", () => connection.Sns(region).CallAsync("Unsubscribe", region, [new("SubscriptionArn", arn)], CancellationToken.None));
    }

    // The only field is the topic, which a change replaces: there is nothing to update in place.
    public Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await FindAsync(resource, cancellationToken) is not { } found || found.Arn == Pending)
        {
            return;
        }

        var region = TopicHandler.RegionOf(found.TopicArn);
        var (_, protocol, endpoint) = Parts(resource.Name);
        await connection.Sns(region).CallAsync("Unsubscribe", region, [new("SubscriptionArn", found.Arn)], cancellationToken);
        // Undone by subscribing again, which the endpoint's owner must confirm again.
        journal.Done("Unsubscribe", () => connection.Sns(region).CallAsync("Subscribe", region,
            [new("TopicArn", found.TopicArn), new("Protocol", protocol), new("Endpoint", endpoint)], CancellationToken.None));
    }

    /// <summary>The topic, protocol and endpoint a subscription's name holds.</summary>
    public static (string Topic, string Protocol, string Endpoint) Parts(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var colon = name.IndexOf(':', slash + 1);
        return (name[..slash], name[(slash + 1)..colon], name[(colon + 1)..]);
    }

    private async Task<(string TopicArn, string Arn)?> FindAsync(EstateResource resource, CancellationToken cancellationToken)
    {
        if (await TopicArnAsync(resource, cancellationToken) is not { } topicArn)
        {
            return null;
        }

        var (_, protocol, endpoint) = Parts(resource.Name);
        var found = (await SubscriptionsAsync(TopicHandler.RegionOf(topicArn), topicArn, cancellationToken)).FirstOrDefault(s => s.Protocol == protocol && s.Endpoint == endpoint);
        return found.Arn is null ? null : (topicArn, found.Arn);
    }

    /// <summary>The live topic the subscription belongs to: the one its resolved field names, else the topic of that name.</summary>
    private async Task<string?> TopicArnAsync(EstateResource resource, CancellationToken cancellationToken)
    {
        var topic = Parts(resource.Name).Topic;
        var named = resource.Fields.GetValueOrDefault("topic");
        var preferred = named is not null && named.StartsWith("arn:", StringComparison.Ordinal) ? TopicHandler.RegionOf(named) : connection.DefaultRegion;
        return await topics.FindAsync(topic, preferred, cancellationToken);
    }

    /// <summary>A topic's subscriptions, pending ones with "PendingConfirmation" for their ARN.</summary>
    public async Task<List<(string Protocol, string Endpoint, string Arn)>> SubscriptionsAsync(string region, string topicArn, CancellationToken cancellationToken) =>
        [.. (await connection.Sns(region).ListAsync("ListSubscriptionsByTopic", region, [new("TopicArn", topicArn)], "Subscriptions", cancellationToken))
            .Select(s => (IamClient.Child(s, "Protocol") ?? "", IamClient.Child(s, "Endpoint") ?? "", IamClient.Child(s, "SubscriptionArn") ?? ""))];
}
