using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class GetRole(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => RoleArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var name = request.Input.Str("RoleName");
        var role = await Iam.Store.RequireAsync<IamRole>(Account(request), IamKinds.Role, name, () => IamErrors.NoSuchRole(name), cancellationToken);
        return new OperationResult(new JsonObject { ["Role"] = IamOutputs.Role(role) });
    }
}
