using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:UpdateAccessKey (Active / Inactive). An inactive key stops authenticating at once on this node.</summary>
public sealed class UpdateAccessKey(IamContext iam) : AccessKeyOperation(iam)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var key = await RequireKeyAsync(request, cancellationToken);
        await Iam.AccessKeys.SetStatusAsync(key.AccessKeyId, request.Input.Str("Status"), cancellationToken);
        Iam.Credentials.Invalidate(key.AccessKeyId);
        return OperationResult.Empty;
    }
}
