using Cloudkeep.Policy;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// Publishing by an AWS service principal (S3's event notifications; later CloudWatch alarms): the
/// topic's policy must let the service publish, judged by the one policy engine with the
/// request's aws:SourceArn and aws:SourceAccount, as SNS judges such a publish on AWS.
/// </summary>
public sealed class SnsServicePublisher(SnsContext sns)
{
    /// <summary>
    /// The topic, when it exists and its policy lets <paramref name="servicePrincipal"/> publish for
    /// this source; otherwise null. With forSourceOwner the service publishes for the source's
    /// owner, as CloudWatch alarms do: AWS:SourceOwner is the source account, so a topic's default
    /// policy (which allows its owner's sources) lets an alarm of the same account publish, as on
    /// AWS, where S3 needs the topic policy to name it.
    /// </summary>
    public async Task<SnsTopicRecord?> AllowedTopicAsync(string topicArn, string servicePrincipal, string sourceArn, string sourceAccount, CancellationToken cancellationToken, bool forSourceOwner = false)
    {
        if (!SnsArns.TryParseTopic(topicArn, out _) || await sns.Repository.GetTopicAsync(topicArn, cancellationToken) is not { } topic)
        {
            return null;
        }

        var builder = new RequestContextBuilder();
        if (forSourceOwner)
        {
            builder.Set("AWS:SourceOwner", sourceAccount);
        }

        var context = builder
            .Set("aws:SourceAccount", sourceAccount)
            .Set("aws:SourceArn", sourceArn)
            .Set("aws:PrincipalServiceName", servicePrincipal)
            .Set("aws:PrincipalIsAWSService", "true")
            .Set("aws:SecureTransport", "true")
            .Build();
        var decision = PolicyEvaluator.Evaluate(new EvaluationRequest
        {
            Principal = new PrincipalInfo(PrincipalType.Service, servicePrincipal, null),
            Action = "sns:Publish",
            Resource = topic.Arn,
            ResourceAccount = topic.AccountId,
            Context = context,
            ResourcePolicy = TopicAttributes.CompiledPolicy(sns, topic),
            ResourcePolicyRequired = true,
        });
        return decision.IsAllowed ? topic : null;
    }

    /// <summary>Publishes a message the service made (already judged allowed); its MessageId.</summary>
    public Task<string> PublishAsync(SnsTopicRecord topic, string subject, string message, CancellationToken cancellationToken) =>
        SnsPublishing.PublishAsync(sns, topic, new SnsPublishing.Draft(message, subject, null, new Dictionary<string, MessageAttributeValue>(), null, null), cancellationToken);
}
