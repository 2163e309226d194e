using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>An operation on one managed policy named by PolicyArn.</summary>
public abstract class ManagedPolicyOperation(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.Input.Str("PolicyArn"));

    protected async Task<IamManagedPolicy> RequirePolicyAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Input.Str("PolicyArn");
        return await Iam.Store.GetManagedPolicyAsync(arn, cancellationToken) ?? throw IamErrors.NoSuchPolicy(arn);
    }

    /// <summary>Changes a customer managed policy of the caller's account; AWS managed ones are read-only.</summary>
    protected Task<IamManagedPolicy> UpdatePolicyAsync(OperationRequest request, Func<IamManagedPolicy, IamManagedPolicy> change, CancellationToken cancellationToken)
    {
        var arn = request.Input.Str("PolicyArn");
        if (!IamArns.TryParsePolicyArn(arn, out var account, out var name) || account != Account(request))
        {
            throw IamErrors.NoSuchPolicy(arn);
        }

        return Iam.Store.UpdateAsync<IamManagedPolicy>(account, IamKinds.Policy, name,
            policy => policy.Arn == arn ? change(policy) : throw IamErrors.NoSuchPolicy(arn),
            () => IamErrors.NoSuchPolicy(arn), cancellationToken);
    }

    /// <summary>How many users, groups and roles of the account have the policy attached.</summary>
    protected async Task<int> AttachmentCountAsync(string accountId, string arn, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var entity in new PrincipalEntity[] { PrincipalEntity.User, PrincipalEntity.Group, PrincipalEntity.Role })
        {
            count += (await entity.ListAllAsync(Iam.Store, accountId, cancellationToken)).Count(p => p.Managed.Contains(arn, StringComparer.Ordinal));
        }

        return count;
    }
}
