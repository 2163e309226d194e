using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Services.Iam;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Organizations;

/// <summary>
/// The organization: it exists from the first start with the bootstrap account as its management
/// account (AWS's "all features" organization), and its member accounts live in the accounts table.
/// </summary>
public sealed class OrganizationContext
{
    public const string OrganizationIdSetting = "organization_id";
    public const string RootIdSetting = "organization_root_id";
    public const string ManagementAccountSetting = "management_account_id";
    public const string AccessRoleName = "OrganizationAccountAccessRole";

    public OrganizationContext(IamContext iam, AccountRepository accounts, SettingsRepository settings)
    {
        Iam = iam;
        Accounts = accounts;
        Settings = settings;
    }

    public IamContext Iam { get; }

    public AccountRepository Accounts { get; }

    public SettingsRepository Settings { get; }

    public sealed record Ids(string OrganizationId, string RootId, string ManagementAccountId);

    /// <summary>The organization's ids, made on first use (o- and r- ids in AWS's formats).</summary>
    public async Task<Ids> GetIdsAsync(CancellationToken cancellationToken)
    {
        var management = await Settings.GetAsync(ManagementAccountSetting, cancellationToken) ?? throw new InvalidOperationException("The estate is not bootstrapped.");
        var organization = await Settings.GetOrSetAsync(OrganizationIdSetting, "o-" + RandomLower(10), cancellationToken);
        var root = await Settings.GetOrSetAsync(RootIdSetting, "r-" + RandomLower(4), cancellationToken);
        return new Ids(organization, root, management);
    }

    public static string OrganizationArn(Ids ids) => $"arn:aws:organizations::{ids.ManagementAccountId}:organization/{ids.OrganizationId}";

    public static string RootArn(Ids ids) => $"arn:aws:organizations::{ids.ManagementAccountId}:root/{ids.OrganizationId}/{ids.RootId}";

    public static string AccountArn(Ids ids, string accountId) => $"arn:aws:organizations::{ids.ManagementAccountId}:account/{ids.OrganizationId}/{accountId}";

    /// <summary>Only the management account administers the organization; members get AccessDeniedException.</summary>
    public static JsonObject Account(Ids ids, AccountRecord account) => new()
    {
        ["Id"] = account.AccountId,
        ["Arn"] = AccountArn(ids, account.AccountId),
        ["Email"] = account.Email,
        ["Name"] = account.Name,
        ["Status"] = account.Status,
        ["State"] = account.Status,
        ["JoinedMethod"] = account.IsManagement ? "INVITED" : "CREATED",
        ["JoinedTimestamp"] = JsonValue.Create(account.CreatedAt),
    };

    private static string RandomLower(int length) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", length);
}
