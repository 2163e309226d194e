using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:UpdateRole (Description, MaxSessionDuration) and iam:UpdateRoleDescription.</summary>
public sealed class UpdateRole(IamContext iam, bool descriptionOnly) : IamOperation(iam)
{
    public override string Operation => descriptionOnly ? "UpdateRoleDescription" : "UpdateRole";

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => RoleArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var name = request.Input.Str("RoleName");
        var description = request.Input.OptStr("Description");
        var maxSession = descriptionOnly ? null : (int?)request.Input.OptLong("MaxSessionDuration");
        if (maxSession is < 3600 or > 43200)
        {
            throw CommonErrors.ValidationError.ToException($"1 validation error detected: Value '{maxSession}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200");
        }

        var role = await Iam.Store.UpdateAsync<IamRole>(Account(request), IamKinds.Role, name,
            r => r with { Description = description ?? r.Description, MaxSessionDuration = maxSession ?? r.MaxSessionDuration },
            () => IamErrors.NoSuchRole(name), cancellationToken);
        return descriptionOnly ? new OperationResult(new JsonObject { ["Role"] = IamOutputs.Role(role) }) : OperationResult.Empty;
    }
}
