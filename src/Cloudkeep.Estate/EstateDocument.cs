namespace Cloudkeep.Estate;

/// <summary>A parsed estate file: its accounts and every resource they declare, flattened.</summary>
internal sealed record EstateDocument(IReadOnlyList<EstateAccount> Accounts, IReadOnlyList<EstateResource> Resources)
{
    public EstateAccount? Management => Accounts.FirstOrDefault(a => a.Management);
}

/// <summary>An account of the estate, named as references name it (<c>${account.NAME.id}</c>); members have the e-mail CreateAccount needs.</summary>
internal sealed record EstateAccount(string Name, bool Management, string? Email)
{
    /// <summary>Members: where the account sits, "root" or an ${ou.PATH.id} reference; null leaves it where it is.</summary>
    public string? OrganizationalUnit { get; init; }
}
