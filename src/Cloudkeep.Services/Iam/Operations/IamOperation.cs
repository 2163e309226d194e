using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// The shape every IAM operation shares: the action is iam:&lt;Operation&gt;, the resource the
/// entity's ARN in the caller's account, and the work happens in that account.
/// </summary>
public abstract class IamOperation : IOperationHandler
{
    protected IamOperation(IamContext iam)
    {
        Iam = iam;
    }

    public string Service => "iam";

    public virtual string Operation => GetType().Name;

    protected IamContext Iam { get; }

    public async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AuthorizationTarget("iam:" + Operation, [await ResourceAsync(request, cancellationToken)]);
    }

    /// <summary>The ARN this request acts on ("*" for account-wide operations such as listing).</summary>
    protected abstract ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken);

    /// <summary>A user's ARN with its real path (policies may name paths); "/" when the user does not exist.</summary>
    protected async ValueTask<string> UserArnAsync(OperationRequest request, string member, CancellationToken cancellationToken)
    {
        var name = request.Input.OptStr(member) ?? request.Caller.UserName ?? "";
        var user = await Iam.Store.GetAsync<Model.IamUser>(Account(request), Model.IamKinds.User, name, cancellationToken);
        return user?.Arn ?? IamArns.User(Account(request), "/", name);
    }

    protected async ValueTask<string> GroupArnAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var name = request.Input.OptStr("GroupName") ?? "";
        var group = await Iam.Store.GetAsync<Model.IamGroup>(Account(request), Model.IamKinds.Group, name, cancellationToken);
        return group?.Arn ?? IamArns.Group(Account(request), "/", name);
    }

    protected async ValueTask<string> RoleArnAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var name = request.Input.OptStr("RoleName") ?? "";
        var role = await Iam.Store.GetAsync<Model.IamRole>(Account(request), Model.IamKinds.Role, name, cancellationToken);
        return role?.Arn ?? IamArns.Role(Account(request), "/", name);
    }

    protected static ValueTask<string> Everything() => ValueTask.FromResult("*");

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);

    protected static string Account(OperationRequest request) => request.Caller.AccountId;
}
