using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Policy;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// A topic's attributes (GetTopicAttributes, SetTopicAttributes, CreateTopic's Attributes): which
/// may be set and how each is checked, the defaults SNS reports, and the topic policy.
/// </summary>
public static class TopicAttributes
{
    /// <summary>SNS's default delivery policy for HTTP/S endpoints: three retries, 20 s apart ("Amazon SNS message delivery retries").</summary>
    public const string DefaultEffectiveDeliveryPolicy =
        """{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}""";

    private static readonly HashSet<string> Settable = new(StringComparer.Ordinal)
    {
        "DeliveryPolicy", "DisplayName", "Policy", "TracingConfig", "KmsMasterKeyId", "SignatureVersion",
        "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate", "ApplicationFailureFeedbackRoleArn",
        "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
        "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
        "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn",
        "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
    };

    /// <summary>
    /// The policy SNS gives a new topic ("__default_policy_ID"): the owner account's principals may
    /// manage and publish, judged by AWS:SourceOwner, a key Cloudkeep's callers never carry, so in
    /// effect the owner's identity policies decide, as they do on AWS for its IAM principals.
    /// </summary>
    public static string DefaultPolicy(string topicArn, string accountId) => new JsonObject
    {
        ["Version"] = "2008-10-17",
        ["Id"] = "__default_policy_ID",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Sid"] = "__default_statement_ID",
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = "*" },
            ["Action"] = new JsonArray(
                "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"),
            ["Resource"] = topicArn,
            ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["AWS:SourceOwner"] = accountId } },
        }),
    }.ToJsonString();

    public static Dictionary<string, string> Read(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string Write(IReadOnlyDictionary<string, string> attributes) => JsonSerializer.Serialize(attributes);

    /// <summary>Checks one attribute SNS lets a caller set; InvalidParameter as SNS words it otherwise.</summary>
    public static void Check(string name, string value, string topicArn)
    {
        if (!Settable.Contains(name))
        {
            throw SnsErrors.Invalid("AttributeName");
        }

        switch (name)
        {
            case "DisplayName" when value.Length > 100:
                throw SnsErrors.Invalid("DisplayName");
            case "SignatureVersion" when value is not ("1" or "2"):
                throw SnsErrors.Invalid("SignatureVersion");
            case "TracingConfig" when value is not ("Active" or "PassThrough"):
                throw SnsErrors.Invalid("TracingConfig");
            case "Policy":
                var parsed = PolicyDocument.Parse(value, PolicyKind.SnsTopic, topicArn);
                if (!parsed.IsValid)
                {
                    throw SnsErrors.Invalid("Policy Error: " + string.Join(" ", parsed.Errors.Select(e => e.Message)));
                }

                break;
            case "DeliveryPolicy":
                _ = DeliveryPolicy.Parse(value);
                break;
        }
    }

    /// <summary>What GetTopicAttributes answers: the stored attributes over SNS's defaults and the computed counts.</summary>
    public static JsonObject Describe(SnsTopicRecord topic, (int Confirmed, int Pending) counts)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var stored = Read(topic.Attributes);
        var output = new JsonObject
        {
            ["Policy"] = stored.GetValueOrDefault("Policy") ?? DefaultPolicy(topic.Arn, topic.AccountId),
            ["Owner"] = topic.AccountId,
            ["SubscriptionsPending"] = counts.Pending.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TopicArn"] = topic.Arn,
            ["EffectiveDeliveryPolicy"] = stored.GetValueOrDefault("DeliveryPolicy") ?? DefaultEffectiveDeliveryPolicy,
            ["SubscriptionsConfirmed"] = counts.Confirmed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DisplayName"] = stored.GetValueOrDefault("DisplayName") ?? "",
            ["SubscriptionsDeleted"] = "0",
        };
        foreach (var (name, value) in stored)
        {
            if (name is not ("Policy" or "DisplayName"))
            {
                output[name] = value;
            }
        }

        return output;
    }

    public static string SignatureVersion(SnsTopicRecord topic) => Read(topic.Attributes).GetValueOrDefault("SignatureVersion") ?? "1";

    /// <summary>The topic's policy, compiled once per policy text.</summary>
    public static CompiledPolicy CompiledPolicy(SnsContext sns, SnsTopicRecord topic)
    {
        ArgumentNullException.ThrowIfNull(sns);
        ArgumentNullException.ThrowIfNull(topic);
        var text = Read(topic.Attributes).GetValueOrDefault("Policy") ?? DefaultPolicy(topic.Arn, topic.AccountId);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        return sns.Policies.GetOrCompile(topic.Arn, hash, text, PolicyKind.SnsTopic).GetPolicyOrThrow();
    }
}
