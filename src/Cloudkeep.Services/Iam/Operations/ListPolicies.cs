using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:ListPolicies with Scope (All, AWS, Local), OnlyAttached and PathPrefix.</summary>
public sealed class ListPolicies(IamContext iam) : ManagedPolicyOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var scope = request.Input.OptStr("Scope") ?? "All";
        var policies = new List<IamManagedPolicy>();
        if (scope is "All" or "AWS")
        {
            policies.AddRange(AwsManagedPolicies.All);
        }

        if (scope is "All" or "Local")
        {
            policies.AddRange(await Iam.Store.ListAsync<IamManagedPolicy>(account, IamKinds.Policy, cancellationToken));
        }

        var attached = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entity in new PrincipalEntity[] { PrincipalEntity.User, PrincipalEntity.Group, PrincipalEntity.Role })
        {
            foreach (var arn in (await entity.ListAllAsync(Iam.Store, account, cancellationToken)).SelectMany(p => p.Managed))
            {
                attached[arn] = attached.GetValueOrDefault(arn) + 1;
            }
        }

        var onlyAttached = request.Input.OptBool("OnlyAttached") ?? false;
        var selected = policies.Where(p => Paging.PathMatches(p.Path, request.Input) && (!onlyAttached || attached.ContainsKey(p.Arn)));
        var (page, truncated, marker) = Paging.Page(selected, p => p.Arn, request.Input);
        return new OperationResult(Paging.Result("Policies", page.Select(p => IamOutputs.Policy(p, attached.GetValueOrDefault(p.Arn))), truncated, marker));
    }
}
