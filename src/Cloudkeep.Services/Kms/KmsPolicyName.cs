using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Kms;

/// <summary>"The only valid policy name is default" (KMS API reference, GetKeyPolicy and PutKeyPolicy).</summary>
internal static class KmsPolicyName
{
    public static void Ensure(JsonObject input)
    {
        var name = KmsInput.String(input, "PolicyName") ?? KmsKeyPolicies.DefaultPolicyName;
        if (name != KmsKeyPolicies.DefaultPolicyName)
        {
            throw KmsErrors.NotFound.ToException("No such policy exists");
        }
    }
}
