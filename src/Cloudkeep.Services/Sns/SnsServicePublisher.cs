using Cloudkeep.Services.Authorization;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// Publishing by an AWS service principal (S3's event notifications; later CloudWatch alarms): the
/// topic's policy must let the service publish, judged by the one policy engine with the
/// request's aws:SourceArn and aws:SourceAccount, as SNS judges such a publish on AWS.
/// </summary>
public sealed class SnsServicePublisher(SnsContext sns)
{
    /// <summary>The topic, when it exists and its policy lets <paramref name="servicePrincipal"/> publish for this source; otherwise null.</summary>
    public async Task<SnsTopicRecord?> AllowedTopicAsync(string topicArn, string servicePrincipal, string sourceArn, string sourceAccount, CancellationToken cancellationToken)
    {
        if (!SnsArns.TryParseTopic(topicArn, out _) || await sns.Repository.GetTopicAsync(topicArn, cancellationToken) is not { } topic)
        {
            return null;
        }

        return ServicePrincipalAccess.Allows(
            TopicAttributes.CompiledPolicy(sns, topic), servicePrincipal, "sns:Publish", topic.Arn, topic.AccountId, sourceArn, sourceAccount)
            ? topic
            : null;
    }

    /// <summary>Publishes a message the service made (already judged allowed); its MessageId.</summary>
    public Task<string> PublishAsync(SnsTopicRecord topic, string subject, string message, CancellationToken cancellationToken) =>
        SnsPublishing.PublishAsync(sns, topic, new SnsPublishing.Draft(message, subject, null, new Dictionary<string, MessageAttributeValue>(), null, null), cancellationToken);
}
