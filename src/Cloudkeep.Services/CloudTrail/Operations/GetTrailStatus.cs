using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:GetTrailStatus: whether it logs, when it started and stopped, and its latest (digest) delivery and delivery error.</summary>
public sealed class GetTrailStatus(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "GetTrailStatus";

    protected override string? TrailMember => "Name";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trail = await Trails.FindAsync(Context, request, request.Input.Str("Name"), cancellationToken);
        var output = new JsonObject { ["IsLogging"] = trail.Logging };
        if (trail.StartLoggingTime is { } started)
        {
            output["StartLoggingTime"] = started;
            output["TimeLoggingStarted"] = Text(started);
        }

        if (trail.StopLoggingTime is { } stopped)
        {
            output["StopLoggingTime"] = stopped;
            output["TimeLoggingStopped"] = Text(stopped);
        }

        if (trail.LatestDeliveryTime is { } delivered)
        {
            output["LatestDeliveryTime"] = delivered;
            output["LatestDeliveryAttemptTime"] = Text(delivered);
        }

        if (trail.LatestDeliveryError is { } error)
        {
            output["LatestDeliveryError"] = error;
        }

        output["LatestDeliveryAttemptSucceeded"] = trail.LatestDeliveryTime is null ? "" : Text(trail.LatestDeliveryTime.Value);
        if (trail.LatestDigestDeliveryTime is { } digest)
        {
            output["LatestDigestDeliveryTime"] = digest;
        }

        output["LatestNotificationAttemptTime"] = "";
        output["LatestNotificationAttemptSucceeded"] = "";
        return new OperationResult(output);
    }

    /// <summary>The string-typed time members, in AWS's form ("2026-12-07T02:10:00Z").</summary>
    private static string Text(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
