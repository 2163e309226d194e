using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Policy;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:CreatePolicyVersion: at most five versions (LimitExceeded), optionally made the default.</summary>
public sealed class CreatePolicyVersion(IamContext iam) : ManagedPolicyOperation(iam)
{
    public const int MaxVersions = 5;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var document = request.Input.Str("PolicyDocument");
        IamContext.Validate(document, PolicyKind.ManagedIdentity);
        var makeDefault = request.Input.OptBool("SetAsDefault") ?? false;
        IamPolicyVersion? created = null;
        var policy = await UpdatePolicyAsync(request, policy =>
        {
            if (policy.Versions.Count >= MaxVersions)
            {
                throw IamErrors.LimitExceeded.ToException($"A managed policy can have up to {MaxVersions} versions. Before you create a new version, you must delete an existing version.");
            }

            created = new IamPolicyVersion("v" + policy.NextVersion, document, Iam.EntityTime);
            return policy with
            {
                Versions = [.. policy.Versions, created],
                NextVersion = policy.NextVersion + 1,
                DefaultVersionId = makeDefault ? created.VersionId : policy.DefaultVersionId,
                UpdateDate = Iam.EntityTime,
            };
        }, cancellationToken);
        return new OperationResult(new JsonObject { ["PolicyVersion"] = IamOutputs.PolicyVersion(policy, created!, includeDocument: false) });
    }
}
