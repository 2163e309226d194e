using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Logs.Operations;

/// <summary>PutRetentionPolicy and DeleteRetentionPolicy: events older than the retention are deleted by the retention job.</summary>
public sealed class PutRetentionPolicy(LogsContext logs) : LogsOperation(logs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var days = request.Input.OptInteger("retentionInDays") ?? 0;
        if (!LogsContext.RetentionDays.Contains((int)days))
        {
            throw LogsErrors.InvalidParameter.ToException("Invalid retention value. Valid values are: [" + string.Join(", ", LogsContext.RetentionDays.Order()) + "]");
        }

        var group = await GroupAsync(request, cancellationToken);
        await Logs.Repository.UpdateGroupAsync(group with { RetentionDays = (int)days }, cancellationToken);
        return OperationResult.Empty;
    }
}

public sealed class DeleteRetentionPolicy(LogsContext logs) : LogsOperation(logs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = await GroupAsync(request, cancellationToken);
        await Logs.Repository.UpdateGroupAsync(group with { RetentionDays = null }, cancellationToken);
        return OperationResult.Empty;
    }
}
