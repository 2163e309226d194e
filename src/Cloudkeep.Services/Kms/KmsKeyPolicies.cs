using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Policy;

namespace Cloudkeep.Services.Kms;

/// <summary>Key policies: the default one, validation through the policy engine, compiled forms cached per policy version.</summary>
public sealed class KmsKeyPolicies
{
    public const string DefaultPolicyName = "default";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly PolicyCache _cache = new();

    /// <summary>
    /// The policy AWS gives a key created without one ("Default key policy" in the KMS developer
    /// guide): the account's root may do everything, which lets IAM policies grant access.
    /// </summary>
    public static string Default(string accountId)
    {
        var document = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Id"] = "key-default-1",
            ["Statement"] = new JsonArray(
                new JsonObject
                {
                    ["Sid"] = "Enable IAM User Permissions",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{accountId}:root" },
                    ["Action"] = "kms:*",
                    ["Resource"] = "*",
                }),
        };
        return document.ToJsonString(Indented);
    }

    /// <summary>
    /// Validates a new key policy with the engine (MalformedPolicyDocumentException with its messages,
    /// the 32 KB limit included) and, unless <paramref name="bypassLockoutSafetyCheck"/>, refuses a policy
    /// that would not let the caller change it again ("Default key policy", the policy lockout safety check).
    /// </summary>
    public static void Validate(string policy, string keyArn, string keyAccount, Caller caller, bool bypassLockoutSafetyCheck)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var result = PolicyDocument.Parse(policy, PolicyKind.KmsKey, keyArn);
        if (!result.IsValid)
        {
            throw KmsErrors.MalformedPolicyDocument.ToException(string.Join(" ", result.Errors.Select(e => e.Message)));
        }

        // Only the root user's decision depends on the key policy alone; other principals' identity
        // policies belong to the authorizer, so their check waits until the service can see them.
        if (bypassLockoutSafetyCheck || caller.Kind != PrincipalKind.Root)
        {
            return;
        }

        var decision = PolicyEvaluator.Evaluate(new EvaluationRequest
        {
            Principal = PrincipalInfo.FromArn(caller.Arn),
            Action = "kms:PutKeyPolicy",
            Resource = keyArn,
            ResourceAccount = keyAccount,
            Context = new RequestContextBuilder().Set("kms:CallerAccount", caller.AccountId).Build(),
            ResourcePolicy = result.Policy,
            ResourcePolicyRequired = true,
        });
        if (!decision.IsAllowed)
        {
            throw KmsErrors.MalformedPolicyDocument.ToException(
                "The new key policy will not allow you to update the key policy in the future.");
        }
    }

    /// <summary>Drops a replaced policy version's compiled form (it is never asked for again).</summary>
    public void Forget(string keyArn, int policyVersion) =>
        _cache.Remove(keyArn, policyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public CompiledPolicy Compile(string keyArn, int policyVersion, string policy) =>
        _cache.GetOrCompile(keyArn, policyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), policy, PolicyKind.KmsKey).Policy
        ?? throw KmsErrors.MalformedPolicyDocument.ToException($"The stored policy of {keyArn} is not valid.");
}
