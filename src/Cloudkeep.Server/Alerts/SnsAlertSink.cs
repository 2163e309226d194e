using System.Text.Json.Nodes;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Services.Sns;

namespace Cloudkeep.Server.Alerts;

/// <summary>
/// Alerts published to an SNS topic, as an EventBridge rule with an SNS target publishes them: as
/// events.amazonaws.com, for the rule <c>arn:aws:events:&lt;topic region&gt;:&lt;topic account&gt;:rule/&lt;rule&gt;</c>,
/// so the topic's policy must allow that service (AWS's documented policy for EventBridge targets),
/// and the message is the alert's JSON. A topic that is missing or refuses is a failure, retried and
/// then dead-lettered like any sink's.
/// </summary>
internal sealed class SnsAlertSink : IAlertSink
{
    public const string ServicePrincipal = "events.amazonaws.com";

    /// <summary>SNS's limit on a subject.</summary>
    private const int SubjectLength = 100;

    private readonly string _topicArn;
    private readonly string _region;
    private readonly string _account;
    private readonly SnsServicePublisher _publisher;

    public SnsAlertSink(string topicArn, SnsServicePublisher publisher)
    {
        if (!SnsArns.TryParseTopic(topicArn, out var parts))
        {
            throw new ArgumentException($"--alert-sns-topic {topicArn}: expected an SNS topic ARN");
        }

        (_topicArn, _region, _account, _publisher) = (topicArn, parts.Value.Region, parts.Value.Account, publisher);
    }

    public string Name => "sns:" + _topicArn;

    public async Task DeliverAsync(JsonObject alert, CancellationToken cancellationToken)
    {
        var rule = $"arn:aws:events:{_region}:{_account}:rule/{alert["rule"]?.GetValue<string>()}";
        var topic = await _publisher.AllowedTopicAsync(_topicArn, ServicePrincipal, rule, _account, cancellationToken)
            ?? throw new InvalidOperationException($"topic {_topicArn} does not exist or its policy does not let {ServicePrincipal} publish");
        var subject = EmailAlertSink.Subject(alert);
        await _publisher.PublishAsync(topic, subject.Length > SubjectLength ? subject[..SubjectLength] : subject, alert.ToJsonString(), cancellationToken);
    }
}
