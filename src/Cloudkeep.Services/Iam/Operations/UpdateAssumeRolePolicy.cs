using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class UpdateAssumeRolePolicy(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => RoleArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var name = request.Input.Str("RoleName");
        var document = request.Input.Str("PolicyDocument");
        IamContext.Validate(document, PolicyKind.TrustPolicy);
        await Iam.Store.UpdateAsync<IamRole>(Account(request), IamKinds.Role, name, role => role with { AssumeRolePolicyDocument = document },
            () => IamErrors.NoSuchRole(name), cancellationToken);
        return OperationResult.Empty;
    }
}
