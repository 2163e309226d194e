using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:CreateAccountAlias, DeleteAccountAlias, ListAccountAliases. An account has at most one alias,
/// and aliases are unique across all accounts (the console sign-in URL uses them).
/// </summary>
public sealed class AccountAliases(IamContext iam, string operation) : IamOperation(iam)
{
    public const string Kind = "alias";
    public const string GlobalAccount = "*";

    public override string Operation => operation;

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public sealed record AccountAlias(string Name, string AccountId);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var mine = (await Iam.Store.ListAsync<AccountAlias>(GlobalAccount, Kind, cancellationToken)).Where(a => a.AccountId == account).ToList();
        switch (operation)
        {
            case "CreateAccountAlias":
                var name = request.Input.Str("AccountAlias");
                if (mine.Any(a => a.Name == name))
                {
                    return OperationResult.Empty;
                }

                if (mine.Count > 0)
                {
                    throw IamErrors.LimitExceeded.ToException("Cannot exceed quota for AccountAliasesPerAccount: 1");
                }

                await Iam.Store.InsertAsync(GlobalAccount, Kind, name, "alias:" + name, new AccountAlias(name, account),
                    () => IamErrors.EntityAlreadyExists.ToException($"The account alias {name} already exists."), cancellationToken);
                return OperationResult.Empty;
            case "DeleteAccountAlias":
                var alias = request.Input.Str("AccountAlias");
                if (!mine.Any(a => a.Name == alias))
                {
                    throw IamErrors.NoSuchEntity.ToException($"The account alias {alias} cannot be found.");
                }

                await Iam.Store.DeleteAsync(GlobalAccount, Kind, alias, () => IamErrors.NoSuchEntity.ToException(), cancellationToken);
                return OperationResult.Empty;
            default:
                return new OperationResult(new JsonObject { ["AccountAliases"] = new JsonArray([.. mine.Select(a => (JsonNode)JsonValue.Create(a.Name))]), ["IsTruncated"] = false });
        }
    }
}
