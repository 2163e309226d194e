using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
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
    /// The policy AWS gives an AWS managed key (the key policy of aws/s3 as DescribeKey and
    /// GetKeyPolicy show it): any principal of the account may use the key for cryptography, but
    /// only through the service (kms:ViaService); the account may read the key's metadata directly.
    /// </summary>
    public static string AwsManaged(string accountId, string region, string service)
    {
        var document = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Id"] = $"auto-{service}-2",
            ["Statement"] = new JsonArray(
                new JsonObject
                {
                    ["Sid"] = $"Allow access through {service.ToUpperInvariant()} for all principals in the account that are authorized to use {service.ToUpperInvariant()}",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["AWS"] = "*" },
                    ["Action"] = new JsonArray("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"),
                    ["Resource"] = "*",
                    ["Condition"] = new JsonObject
                    {
                        ["StringEquals"] = new JsonObject { ["kms:CallerAccount"] = accountId, ["kms:ViaService"] = $"{service}.{region}.amazonaws.com" },
                    },
                },
                new JsonObject
                {
                    ["Sid"] = "Allow direct access to key metadata to the account",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{accountId}:root" },
                    ["Action"] = new JsonArray("kms:Describe*", "kms:Get*", "kms:List*"),
                    ["Resource"] = "*",
                }),
        };
        return document.ToJsonString(Indented);
    }

    /// <summary>A new key policy, validated by the engine (MalformedPolicyDocumentException with its messages, the 32 KB limit included).</summary>
    public static CompiledPolicy Parse(string policy, string keyArn)
    {
        var result = PolicyDocument.Parse(policy, PolicyKind.KmsKey, keyArn);
        return result.Policy ?? throw KmsErrors.MalformedPolicyDocument.ToException(string.Join(" ", result.Errors.Select(e => e.Message)));
    }

    /// <summary>
    /// The policy lockout safety check ("Default key policy" in the KMS developer guide) as a
    /// further authorization of the same request: the caller must be allowed kms:PutKeyPolicy on
    /// the key by the new policy (and its identity policies, as for any request), or the new policy
    /// is refused as MalformedPolicyDocumentException. Null when the check is bypassed or the
    /// policy cannot be read (the handler then answers its validation error).
    /// </summary>
    public static AuthorizationTarget? LockoutCheck(string? policy, string keyArn, string keyAccount, string callerAccount, bool bypass)
    {
        if (bypass || policy is null || PolicyDocument.Parse(policy, PolicyKind.KmsKey, keyArn).Policy is not { } compiled)
        {
            return null;
        }

        return new AuthorizationTarget("kms:PutKeyPolicy", [keyArn], new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["kms:CallerAccount"] = [callerAccount] })
        {
            ResourceAccount = keyAccount,
            ResourcePolicy = compiled,
            ResourcePolicyRequired = true,
            DeniedAs = KmsErrors.MalformedPolicyDocument.ToException("The new key policy will not allow you to update the key policy in the future."),
        };
    }

    /// <summary>Drops a replaced policy version's compiled form (it is never asked for again).</summary>
    public void Forget(string keyArn, int policyVersion) =>
        _cache.Remove(keyArn, policyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public CompiledPolicy Compile(string keyArn, int policyVersion, string policy) =>
        _cache.GetOrCompile(keyArn, policyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), policy, PolicyKind.KmsKey).Policy
        ?? throw KmsErrors.MalformedPolicyDocument.ToException($"The stored policy of {keyArn} is not valid.");
}
