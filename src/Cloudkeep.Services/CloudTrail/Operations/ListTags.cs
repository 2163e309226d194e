using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:ListTags: the tags of up to 20 trails, by ARN, in the caller's account.</summary>
public sealed class ListTags(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "ListTags";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Input.OptStr("NextToken") is { Length: > 0 })
        {
            throw CloudTrailErrors.InvalidToken.ToException("The token is not valid.");
        }

        var list = new JsonArray();
        foreach (var id in request.Input.OptArray("ResourceIdList").Strings())
        {
            var trail = await TagTarget.FindAsync(Context, request, id, cancellationToken);
            list.Add(new JsonObject { ["ResourceId"] = trail.Arn, ["TagsList"] = Trails.TagsShape(trail.Tags) });
        }

        return new OperationResult(new JsonObject { ["ResourceTagList"] = list });
    }
}
