using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// The shape every SNS operation shares: the action is sns:&lt;Operation&gt;; an operation on a topic
/// names the topic's ARN as its resource, with the topic's policy as the resource policy (which
/// may let other accounts and service principals in, but is not required for the topic's own
/// account, whose identity policies suffice).
/// </summary>
public abstract class SnsOperation(SnsContext sns) : IOperationHandler
{
    public string Service => "sns";

    public virtual string Operation => GetType().Name;

    protected SnsContext Sns { get; } = sns;

    /// <summary>The input member naming the topic; null for operations on the account (ListTopics) or a subscription.</summary>
    protected virtual string? TopicMember => "TopicArn";

    public virtual async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (TopicMember is not { } member)
        {
            return new AuthorizationTarget("sns:" + Operation, ["*"]);
        }

        var (arn, topic) = await DescribeTopicAsync(request, request.Input.OptStr(member), cancellationToken);
        return ForTopic(request, arn, topic);
    }

    /// <summary>
    /// The topic a request names, for authorization: a malformed ARN is still judged (as itself) and
    /// refused by the handler afterwards, so a caller without permission learns nothing from it.
    /// </summary>
    protected async Task<(string Arn, SnsTopicRecord? Topic)> DescribeTopicAsync(OperationRequest request, string? arn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(arn))
        {
            return ("*", null);
        }

        var topic = IsServed(request, arn) ? await Sns.Repository.GetTopicAsync(arn, cancellationToken) : null;
        if (topic is not null)
        {
            request.Facts.Set(topic);
        }

        return (arn, topic);
    }

    /// <summary>The target of an action on a topic (which may not exist): its account and its policy.</summary>
    protected AuthorizationTarget ForTopic(OperationRequest request, string arn, SnsTopicRecord? topic, IReadOnlyDictionary<string, IReadOnlyList<string>>? conditionKeys = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AuthorizationTarget("sns:" + Operation, [arn], conditionKeys)
        {
            ResourceAccount = SnsArns.AccountOf(arn) ?? request.Caller.AccountId,
            ResourcePolicy = topic is null ? null : TopicAttributes.CompiledPolicy(Sns, topic),
        };
    }

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);

    /// <summary>The topic a request names, or NotFound "Topic does not exist".</summary>
    protected async Task<SnsTopicRecord> TopicAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Facts.Find<SnsTopicRecord>()
            ?? await Sns.Repository.GetTopicAsync(TopicArnOf(request, request.Input.OptStr(TopicMember ?? "TopicArn")), cancellationToken)
            ?? throw SnsErrors.NotFound.ToException();
    }

    /// <summary>
    /// A topic ARN as SNS checks it: well formed and in the region the request was sent to
    /// (a regional endpoint serves only its region's topics). An unsigned link (SubscribeURL) names
    /// no region but through its ARN, which then decides.
    /// </summary>
    protected static string TopicArnOf(OperationRequest request, string? arn) =>
        IsServed(request, arn) ? arn! : throw SnsErrors.Invalid("TopicArn");

    private static bool IsServed(OperationRequest request, string? arn)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SnsArns.TryParseTopic(arn, out var parts) && (parts.Value.Region == request.Region || request.Caller.IsAnonymous);
    }
}
