using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Logs.Operations;

public sealed class CreateLogGroup(LogsContext logs) : LogsOperation(logs)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Input.Str("logGroupName");
        CheckGroupName(name);
        if (request.Input.OptStr("logGroupClass") is { } groupClass && groupClass != "STANDARD")
        {
            throw Core.Errors.CommonErrors.NotImplemented.ToException("Only STANDARD log groups are supported.");
        }

        var tags = LogsTags.Read(request.Input.OptObject("tags"));
        var group = new LogGroupRecord(request.Caller.AccountId, request.Region, name, null, request.Input.OptStr("kmsKeyId"), LogsTags.Write(tags), Logs.Time.GetUtcNow());
        if (!await Logs.Repository.InsertGroupAsync(group, cancellationToken))
        {
            throw LogsErrors.ResourceAlreadyExists.ToException("The specified log group already exists");
        }

        return OperationResult.Empty;
    }
}
