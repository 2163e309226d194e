using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>Throws MalformedPolicyDocumentException with the engine's messages (32 KB limit included).</summary>
    public static void Validate(string policy, string keyArn)
    {
        var result = PolicyDocument.Parse(policy, PolicyKind.KmsKey, keyArn);
        if (!result.IsValid)
        {
            throw KmsErrors.MalformedPolicyDocument.ToException(string.Join(" ", result.Errors.Select(e => e.Message)));
        }
    }

    /// <summary>Drops a replaced policy version's compiled form (it is never asked for again).</summary>
    public void Forget(string keyArn, int policyVersion) =>
        _cache.Remove(keyArn, policyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public CompiledPolicy Compile(string keyArn, int policyVersion, string policy) =>
        _cache.GetOrCompile(keyArn, policyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), policy, PolicyKind.KmsKey).Policy
        ?? throw KmsErrors.MalformedPolicyDocument.ToException($"The stored policy of {keyArn} is not valid.");
}
