using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns;

/// <summary>A subscription's attributes: which may be set (at Subscribe or SetSubscriptionAttributes), and what GetSubscriptionAttributes reports.</summary>
public static class SubscriptionAttributes
{
    private static readonly HashSet<string> Settable = new(StringComparer.Ordinal)
    {
        "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy",
    };

    /// <summary>Checks one attribute against what the whole set will be, so FilterPolicy is read with the scope it will have.</summary>
    public static void Check(string name, string value, IReadOnlyDictionary<string, string> after, string protocol)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (!Settable.Contains(name))
        {
            throw SnsErrors.Invalid("AttributeName");
        }

        switch (name)
        {
            case "RawMessageDelivery" when value is not ("true" or "false"):
                throw SnsErrors.Invalid("Attributes Reason: RawMessageDelivery: Invalid value [" + value + "]. Must be true or false.");
            case "RawMessageDelivery" when value == "true" && protocol is "email" or "email-json":
                throw SnsErrors.Invalid("Attributes Reason: Delivery protocol [" + protocol + "] does not support raw message delivery.");
            case "FilterPolicy" or "FilterPolicyScope" when after.TryGetValue("FilterPolicy", out var policy) && policy.Length > 0:
                _ = FilterPolicy.Parse(policy, after.GetValueOrDefault("FilterPolicyScope"));
                break;
            case "FilterPolicyScope":
                _ = FilterPolicy.Parse("{}", value);
                break;
            case "DeliveryPolicy":
                _ = DeliveryPolicy.Parse(value);
                break;
        }
    }

    public static JsonObject Describe(SnsSubscriptionRecord subscription, string topicOwner)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var stored = TopicAttributes.Read(subscription.Attributes);
        var output = new JsonObject
        {
            ["Owner"] = subscription.Owner,
            ["RawMessageDelivery"] = stored.GetValueOrDefault("RawMessageDelivery") ?? "false",
            ["TopicArn"] = subscription.TopicArn,
            ["Endpoint"] = subscription.Endpoint,
            ["Protocol"] = subscription.Protocol,
            ["PendingConfirmation"] = subscription.Confirmed ? "false" : "true",
            ["ConfirmationWasAuthenticated"] = stored.GetValueOrDefault("ConfirmationWasAuthenticated") ?? "false",
            ["SubscriptionArn"] = subscription.Arn,
            ["SubscriptionPrincipal"] = stored.GetValueOrDefault("SubscriptionPrincipal") ?? $"arn:aws:iam::{topicOwner}:root",
        };
        if (subscription.Protocol is "http" or "https")
        {
            output["EffectiveDeliveryPolicy"] = stored.GetValueOrDefault("DeliveryPolicy") ?? TopicAttributes.DefaultEffectiveDeliveryPolicy;
        }

        foreach (var (name, value) in stored)
        {
            if (name is not ("RawMessageDelivery" or "ConfirmationWasAuthenticated" or "SubscriptionPrincipal"))
            {
                output[name] = value;
            }
        }

        return output;
    }
}
