using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:AddTags and cloudtrail:RemoveTags on a trail (ResourceId is its ARN); at most 50 tags.</summary>
public sealed class TrailTags(CloudTrailContext context, bool add) : CloudTrailOperation(context)
{
    public override string Operation => add ? "AddTags" : "RemoveTags";

    protected override string? TrailMember => "ResourceId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trail = await TagTarget.FindAsync(Context, request, request.Input.Str("ResourceId"), cancellationToken);
        var given = Trails.ReadTags(request.Input.OptArray("TagsList"), keysOnly: !add);
        var tags = trail.Tags.ToList();
        foreach (var tag in given)
        {
            tags.RemoveAll(t => t.Key == tag.Key && (add || tag.Value is null || t.Value == tag.Value));
            if (add)
            {
                tags.Add(tag);
            }
        }

        if (tags.Count > 50)
        {
            throw CloudTrailErrors.TagsLimitExceeded.ToException();
        }

        var updated = trail with { Tags = tags };
        await Context.Repository.UpdateTrailAsync(updated.Arn, updated.ToDocument(), updated.Logging, cancellationToken);
        return new OperationResult(new JsonObject());
    }
}

/// <summary>A tagging operation's ResourceId: a trail's ARN (event data stores and channels do not exist here).</summary>
internal static class TagTarget
{
    public static async Task<TrailState> FindAsync(CloudTrailContext context, OperationRequest request, string resourceId, CancellationToken cancellationToken)
    {
        if (!resourceId.StartsWith("arn:", StringComparison.Ordinal))
        {
            throw CloudTrailErrors.ArnInvalid.ToException($"Invalid trail ARN: {resourceId}");
        }

        Trails.CheckNameOrArn(resourceId);
        var rows = await context.Repository.TrailsAsync(cancellationToken);
        var trail = rows.Select(TrailState.FromRow).FirstOrDefault(t => t.Arn == resourceId && t.AccountId == request.Caller.AccountId);
        return trail ?? throw CloudTrailErrors.ResourceNotFound.ToException($"Resource not found: {resourceId}");
    }
}
