using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:DeleteTrail: from the trail's home region; the files already delivered stay in the bucket.</summary>
public sealed class DeleteTrail(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "DeleteTrail";

    protected override string? TrailMember => "Name";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trail = await Trails.FindOwnAsync(Context, request, request.Input.Str("Name"), cancellationToken);
        await Context.Repository.DeleteTrailAsync(trail.Arn, cancellationToken);
        await Context.RefreshDataEventSelectionAsync(cancellationToken);
        return OperationResult.Empty;
    }
}
