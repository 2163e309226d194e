using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class CreateRole(IamContext iam) : IamOperation(iam)
{
    /// <summary>MaxSessionDuration: one hour by default, between one and twelve hours.</summary>
    public const int DefaultMaxSessionDuration = 3600;

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IamArns.Role(Account(request), Paging.CheckPath(request.Input.OptStr("Path")), request.Input.Str("RoleName")));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var input = request.Input;
        var name = input.Str("RoleName");
        var path = Paging.CheckPath(input.OptStr("Path"));
        var trust = input.Str("AssumeRolePolicyDocument");
        IamContext.Validate(trust, PolicyKind.TrustPolicy);
        var maxSession = (int)(input.OptLong("MaxSessionDuration") ?? DefaultMaxSessionDuration);
        if (maxSession is < 3600 or > 43200)
        {
            throw CommonErrors.ValidationError.ToException($"1 validation error detected: Value '{maxSession}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200");
        }

        var boundary = input.OptStr("PermissionsBoundary");
        if (boundary is not null && await Iam.Store.GetManagedPolicyAsync(boundary, cancellationToken) is null)
        {
            throw IamErrors.NoSuchPolicy(boundary);
        }

        var role = new IamRole(name, AwsIds.NewUniqueId(AwsIds.RolePrefix), path, IamArns.Role(account, path, name), Iam.EntityTime,
            trust, input.OptStr("Description"), maxSession, boundary, TagInputs.Read(input), PolicyAttachments.None);
        await Iam.Store.InsertAsync(account, IamKinds.Role, name, role.RoleId, role,
            () => IamErrors.EntityAlreadyExists.ToException($"Role with name {name} already exists."), cancellationToken);
        return new OperationResult(new JsonObject { ["Role"] = IamOutputs.Role(role) });
    }
}
