using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:SimulateCustomPolicy: policies given inline, evaluated as identity policies of an anonymous-looking IAM user.</summary>
public sealed class SimulateCustomPolicy(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var identity = PolicySimulator.Compile(request.Input.OptArray("PolicyInputList"), PolicyKind.ManagedIdentity, "PolicyInputList.");
        var boundaries = PolicySimulator.Compile(request.Input.OptArray("PermissionsBoundaryPolicyInputList"), PolicyKind.Boundary, "PermissionsBoundaryPolicyInputList.");
        var account = Account(request);
        var callerArn = request.Input.OptStr("CallerArn");

        // Without CallerArn the policies are evaluated for an anonymous-looking user of the account, whose name is
        // no aws:username: that key then has only the value a context entry gives it (or none, so a variable's
        // default applies).
        var principal = PolicySimulator.PrincipalFor(callerArn ?? $"arn:aws:iam::{account}:user/simulated-user");
        var output = PolicySimulator.Simulate(request.Input, principal, identity, boundaries.Count > 0 ? boundaries[0] : null,
            PolicySimulator.Context(request.Input, callerArn), account);
        return ValueTask.FromResult(new OperationResult(output));
    }
}
