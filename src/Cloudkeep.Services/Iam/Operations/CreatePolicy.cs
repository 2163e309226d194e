using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class CreatePolicy(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IamArns.Policy(Account(request), Paging.CheckPath(request.Input.OptStr("Path")), request.Input.Str("PolicyName")));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str("PolicyName");
        var path = Paging.CheckPath(request.Input.OptStr("Path"));
        var document = request.Input.Str("PolicyDocument");
        IamContext.Validate(document, PolicyKind.ManagedIdentity);
        var now = Iam.EntityTime;
        var policy = new IamManagedPolicy(name, AwsIds.NewUniqueId(AwsIds.ManagedPolicyPrefix), path, IamArns.Policy(account, path, name),
            request.Input.OptStr("Description"), now, now, "v1", [new IamPolicyVersion("v1", document, now)], 2, TagInputs.Read(request.Input));
        await Iam.Store.InsertAsync(account, IamKinds.Policy, name, policy.PolicyId, policy,
            () => IamErrors.EntityAlreadyExists.ToException($"A policy called {name} already exists. Duplicate names are not allowed."), cancellationToken);
        return new OperationResult(new JsonObject { ["Policy"] = IamOutputs.Policy(policy, 0) });
    }
}
