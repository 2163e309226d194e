using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Logs.Operations;

/// <summary>TagLogGroup, UntagLogGroup and ListTagsLogGroup (the group-named tag operations the AWS CLI's logs commands use).</summary>
public sealed class TagLogGroup(LogsContext logs) : LogsOperation(logs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = await GroupAsync(request, cancellationToken);
        var tags = LogsTags.ReadStored(group.Tags);
        foreach (var (key, value) in LogsTags.Read(request.Input.OptObject("tags")))
        {
            tags[key] = value;
        }

        if (tags.Count > 50)
        {
            throw LogsErrors.InvalidParameter.ToException("A log group can have at most 50 tags.");
        }

        await Logs.Repository.UpdateGroupAsync(group with { Tags = LogsTags.Write(tags) }, cancellationToken);
        return OperationResult.Empty;
    }
}

public sealed class UntagLogGroup(LogsContext logs) : LogsOperation(logs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = await GroupAsync(request, cancellationToken);
        var tags = LogsTags.ReadStored(group.Tags);
        foreach (var key in request.Input.OptArray("tags").Strings())
        {
            tags.Remove(key);
        }

        await Logs.Repository.UpdateGroupAsync(group with { Tags = LogsTags.Write(tags) }, cancellationToken);
        return OperationResult.Empty;
    }
}

public sealed class ListTagsLogGroup(LogsContext logs) : LogsOperation(logs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = await GroupAsync(request, cancellationToken);
        var tags = new JsonObject();
        foreach (var (key, value) in LogsTags.ReadStored(group.Tags).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            tags[key] = value;
        }

        return new OperationResult(new JsonObject { ["tags"] = tags });
    }
}
