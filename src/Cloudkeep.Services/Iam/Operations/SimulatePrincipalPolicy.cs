using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:SimulatePrincipalPolicy: the policies of a user, group or role (plus any given) against actions and resources.</summary>
public sealed class SimulatePrincipalPolicy(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.Input.Str("PolicySourceArn"));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var source = request.Input.Str("PolicySourceArn");
        var (identity, boundary) = await PolicySimulator.SourcePoliciesAsync(Iam, source, cancellationToken);
        var extra = PolicySimulator.Compile(request.Input.OptArray("PolicyInputList"), PolicyKind.ManagedIdentity, "PolicyInputList.");
        var boundaries = PolicySimulator.Compile(request.Input.OptArray("PermissionsBoundaryPolicyInputList"), PolicyKind.Boundary, "PermissionsBoundaryPolicyInputList.");
        var callerArn = request.Input.OptStr("CallerArn") ?? source;
        var principal = PolicySimulator.PrincipalFor(callerArn.Contains(":group/", System.StringComparison.Ordinal) ? $"arn:aws:iam::{IamArns.AccountOf(source)}:user/simulated" : callerArn);
        var output = PolicySimulator.Simulate(request.Input, principal, [.. identity, .. extra], boundaries.Count > 0 ? boundaries[0] : boundary,
            PolicySimulator.Context(request.Input, callerArn), IamArns.AccountOf(source));
        return new OperationResult(output);
    }
}
