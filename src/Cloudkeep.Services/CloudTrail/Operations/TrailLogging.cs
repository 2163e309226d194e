using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:StartLogging and cloudtrail:StopLogging: from the trail's home region; the times are what GetTrailStatus reports.</summary>
public sealed class TrailLogging(CloudTrailContext context, bool start) : CloudTrailOperation(context)
{
    public override string Operation => start ? "StartLogging" : "StopLogging";

    protected override string? TrailMember => "Name";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trail = await Trails.FindOwnAsync(Context, request, request.Input.Str("Name"), cancellationToken);
        if (trail.Logging != start)
        {
            var now = Context.Now;
            var updated = start ? trail with { Logging = true, StartLoggingTime = now } : trail with { Logging = false, StopLoggingTime = now };
            await Context.Repository.UpdateTrailAsync(updated.Arn, updated.ToDocument(), updated.Logging, cancellationToken);
        }

        await Context.RefreshDataEventSelectionAsync(cancellationToken);
        return OperationResult.Empty;
    }
}
