using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class DeleteAccessKey(IamContext iam) : AccessKeyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var key = await RequireKeyAsync(request, cancellationToken);
        await Iam.AccessKeys.DeleteAsync(key.AccessKeyId, cancellationToken);
        Iam.Credentials.Invalidate(key.AccessKeyId);
        return OperationResult.Empty;
    }
}
