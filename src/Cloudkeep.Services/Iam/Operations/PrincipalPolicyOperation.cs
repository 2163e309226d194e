using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>An operation on a user's, group's or role's policies; its name is built from the entity's noun.</summary>
public abstract class PrincipalPolicyOperation : IamOperation
{
    private readonly string _operation;

    protected PrincipalPolicyOperation(IamContext iam, PrincipalEntity entity, string operationTemplate)
        : base(iam)
    {
        Entity = entity;
        _operation = string.Format(System.Globalization.CultureInfo.InvariantCulture, operationTemplate, entity.Noun);
    }

    public override string Operation => _operation;

    protected PrincipalEntity Entity { get; }

    protected string EntityName(OperationRequest request) => request.Input.Str(Entity.NameMember);

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Entity.Noun switch
    {
        "User" => UserArnAsync(request, "UserName", cancellationToken),
        "Group" => GroupArnAsync(request, cancellationToken),
        _ => RoleArnAsync(request, cancellationToken),
    };
}
