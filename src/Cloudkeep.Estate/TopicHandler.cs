using System.Xml.Linq;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// SNS topics of the account, found by name in the regions the run looks at (the command's and
/// those the file places topics and alarms in): a topic's name is unique in its region only, and the
/// region is fixed at creation. The topic policy is managed only when the file gives one; SNS
/// answers its default policy otherwise. So is the signature version: "2" (SHA256) is kept, SNS's
/// default "1" (SHA1) is what a topic without the field has.
/// </summary>
internal sealed class TopicHandler(EstateConnection connection, IReadOnlyCollection<string> regions) : IResourceHandler
{
    /// <summary>What a topic may say beside its subscriptions; export writes them in this order.</summary>
    internal static readonly string[] Keys = ["region", "displayName", "policy", "signatureVersion"];

    public IReadOnlyCollection<string> FixedFields => ["region"];

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        if (await FindAsync(desired.Name, Region(desired), cancellationToken) is not { } arn)
        {
            return null;
        }

        var region = RegionOf(arn);
        var attributes = SnsClient.Attributes(await CallAsync("GetTopicAttributes", region, [new("TopicArn", arn)], cancellationToken));
        var live = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["region"] = region,
            ["displayName"] = attributes.GetValueOrDefault("DisplayName") ?? "",
        };
        if (attributes.TryGetValue("Policy", out var policy) && CanonicalJson.TryParse(policy, out var canonical))
        {
            live["policy"] = canonical;
        }

        if (attributes.GetValueOrDefault("SignatureVersion") is "2")
        {
            live["signatureVersion"] = "2";
        }

        return live;
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await OwnAsync(cancellationToken)).Select(t => t.Name).Distinct().Order(StringComparer.Ordinal)];

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var region = Region(resolved);
        var created = await CallAsync("CreateTopic", region, [new("Name", resolved.Name), .. Attributes(resolved.Fields)], cancellationToken);
        var arn = IamClient.Descendant(created, "TopicArn") ?? resolved.Name;
        journal.Done("CreateTopic", () => CallAsync("DeleteTopic", region, [new("TopicArn", arn)], CancellationToken.None));
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var arn = (await FindAsync(resolved.Name, Region(resolved), cancellationToken))!;
        var region = RegionOf(arn);
        foreach (var field in fields.Where(f => f != "region"))
        {
            var name = AttributeName(field);
            await SetAsync(region, arn, name, resolved.Fields[field], cancellationToken);
            if (live.TryGetValue(field, out var before))
            {
                journal.Done("SetTopicAttributes " + name, () => SetAsync(region, arn, name, before, CancellationToken.None));
            }
        }
    }

    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await FindAsync(resource.Name, Region(resource), cancellationToken) is not { } arn)
        {
            return;
        }

        var region = RegionOf(arn);
        var live = (await ReadAsync(resource, cancellationToken))!;
        await CallAsync("DeleteTopic", region, [new("TopicArn", arn)], cancellationToken);
        // Undone by a topic of the same name and attributes; its subscriptions went with it and are not restored.
        journal.Done("DeleteTopic", () => CallAsync("CreateTopic", region, [new("Name", resource.Name), .. Attributes(live)], CancellationToken.None));
    }

    /// <summary>The topics the account owns in the regions looked at: name, region and ARN.</summary>
    public async Task<List<(string Name, string Region, string Arn)>> OwnAsync(CancellationToken cancellationToken)
    {
        var account = await connection.AccountIdAsync(cancellationToken);
        var topics = new List<(string, string, string)>();
        foreach (var region in regions.Distinct())
        {
            foreach (var topic in await connection.Sns(region).ListAsync("ListTopics", region, [], "Topics", cancellationToken))
            {
                var arn = IamClient.Child(topic, "TopicArn") ?? "";
                var parts = arn.Split(':');
                if (parts.Length == 6 && parts[4] == account)
                {
                    topics.Add((parts[5], parts[3], arn));
                }
            }
        }

        return topics;
    }

    /// <summary>The topic's ARN: in the region the file gives it first, else in any region looked at (where a replacement finds the old one).</summary>
    public async Task<string?> FindAsync(string name, string preferred, CancellationToken cancellationToken)
    {
        var own = (await OwnAsync(cancellationToken)).Where(t => t.Name == name).ToList();
        return own.Where(t => t.Region == preferred).Concat(own).Select(t => t.Arn).FirstOrDefault();
    }

    public string Region(EstateResource resource) => resource.Fields.GetValueOrDefault("region") ?? connection.DefaultRegion;

    public static string RegionOf(string arn) => arn.Split(':')[3];

    private Task<XElement> SetAsync(string region, string arn, string attribute, string value, CancellationToken cancellationToken) =>
        CallAsync("SetTopicAttributes", region, [new("TopicArn", arn), new("AttributeName", attribute), new("AttributeValue", value)], cancellationToken);

    private Task<XElement> CallAsync(string action, string region, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken) =>
        connection.Sns(region).CallAsync(action, region, parameters, cancellationToken);

    private static string AttributeName(string field) => field switch
    {
        "displayName" => "DisplayName",
        "signatureVersion" => "SignatureVersion",
        _ => "Policy",
    };

    /// <summary>CreateTopic's Attributes for the fields given (the region is where the call goes, not an attribute).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var index = 0;
        foreach (var (field, value) in fields.Where(f => f.Key is "displayName" or "policy" or "signatureVersion"))
        {
            index++;
            yield return new($"Attributes.entry.{index}.key", AttributeName(field));
            yield return new($"Attributes.entry.{index}.value", value);
        }
    }
}
