using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms;

/// <summary>Alias names: "alias/" and a name; the alias/aws/ prefix is reserved for AWS managed keys.</summary>
internal static partial class KmsAliases
{
    public const string Prefix = "alias/";
    public const string ReservedPrefix = "alias/aws/";

    public static void ValidateName(string aliasName)
    {
        if (!NamePattern().IsMatch(aliasName))
        {
            throw KmsErrors.Validation.ToException(
                $"1 validation error detected: Value '{aliasName}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$");
        }

        if (aliasName.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            throw KmsErrors.NotAuthorized.ToException($"The alias prefix {ReservedPrefix} is reserved for AWS managed keys; {aliasName} cannot be created, changed or deleted.");
        }
    }

    public static async Task<KmsAliasRecord> GetAsync(KmsKeyStore store, OperationRequest request, string aliasName, CancellationToken cancellationToken) =>
        await store.Repository.GetAliasAsync(request.Caller.AccountId, request.Region, aliasName, cancellationToken)
        ?? throw KmsErrors.NotFound.ToException($"Alias '{KmsKeyStore.AliasArn(request.Region, request.Caller.AccountId, aliasName)}' is not found.");

    public static JsonObject Entry(KmsAliasRecord alias) => new()
    {
        ["AliasName"] = alias.AliasName,
        ["AliasArn"] = KmsKeyStore.AliasArn(alias.Region, alias.AccountId, alias.AliasName),
        ["TargetKeyId"] = alias.KeyId,
        ["CreationDate"] = alias.CreatedAt,
        ["LastUpdatedDate"] = alias.UpdatedAt,
    };

    [GeneratedRegex("^alias/[a-zA-Z0-9/_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
