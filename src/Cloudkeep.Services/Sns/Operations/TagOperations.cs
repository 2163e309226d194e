using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>TagResource, UntagResource and ListTagsForResource on a topic named as ResourceArn.</summary>
public sealed class TagTopic(SnsContext sns) : SnsTagOperation(sns)
{
    public override string Operation => "TagResource";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var target = await base.DescribeAsync(request, cancellationToken);
        return target with { ConditionKeys = SnsTags.RequestKeys(request.Input) };
    }

    protected override Dictionary<string, string> Change(OperationRequest request, Dictionary<string, string> tags)
    {
        foreach (var (key, value) in SnsTags.Read(request.Input.OptArray("Tags")))
        {
            tags[key] = value;
        }

        SnsTags.Check(tags);
        return tags;
    }
}

public sealed class UntagTopic(SnsContext sns) : SnsTagOperation(sns)
{
    public override string Operation => "UntagResource";

    protected override Dictionary<string, string> Change(OperationRequest request, Dictionary<string, string> tags)
    {
        foreach (var key in request.Input.OptArray("TagKeys").Strings())
        {
            tags.Remove(key);
        }

        return tags;
    }
}

public sealed class ListTopicTags(SnsContext sns) : SnsTagOperation(sns)
{
    public override string Operation => "ListTagsForResource";

    protected override Dictionary<string, string>? Change(OperationRequest request, Dictionary<string, string> tags) => null;
}

public abstract class SnsTagOperation(SnsContext sns) : SnsOperation(sns)
{
    protected override string? TopicMember => "ResourceArn";

    /// <summary>The tags after the change; null for a read.</summary>
    protected abstract Dictionary<string, string>? Change(OperationRequest request, Dictionary<string, string> tags);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TopicArnOf(request, request.Input.OptStr("ResourceArn"));
        var topic = request.Facts.Find<SnsTopicRecord>() ?? throw SnsErrors.ResourceNotFound.ToException();
        var tags = SnsTags.ReadStored(topic.Tags);
        var changed = Change(request, tags);
        if (changed is null)
        {
            return new OperationResult(new JsonObject
            {
                ["Tags"] = new JsonArray([.. tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]),
            });
        }

        if (!await Sns.Repository.UpdateTopicAsync(topic.Arn, topic.Attributes, SnsTags.Write(changed), cancellationToken))
        {
            throw SnsErrors.ResourceNotFound.ToException();
        }

        return OperationResult.Empty;
    }
}
