using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Logs.Operations;

public sealed class DeleteLogGroup(LogsContext logs) : LogsOperation(logs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await Logs.Repository.DeleteGroupAsync(request.Caller.AccountId, request.Region, request.Input.Str("logGroupName"), cancellationToken))
        {
            throw LogsErrors.ResourceNotFound.ToException("The specified log group does not exist.");
        }

        return OperationResult.Empty;
    }
}
