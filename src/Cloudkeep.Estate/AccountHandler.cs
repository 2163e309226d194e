using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>Member accounts, found by name in the organization and created with CreateAccount (which may answer IN_PROGRESS first).</summary>
internal sealed class AccountHandler(OrganizationsClient organizations, TimeProvider time) : IResourceHandler
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CreationTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The account's id, or null when the organization has no account of that name.</summary>
    public async Task<string?> FindIdAsync(string name, CancellationToken cancellationToken) =>
        (await organizations.ListAccountsAsync(cancellationToken)).FirstOrDefault(a => a["Name"]?.GetValue<string>() == name)?["Id"]?.GetValue<string>();

    /// <summary>The organization's accounts (none without an organization).</summary>
    public async Task<List<(string Id, string Name, string Email)>> AccountsAsync(CancellationToken cancellationToken) =>
        [.. (await organizations.ListAccountsAsync(cancellationToken)).Select(a => (a["Id"]!.GetValue<string>(), a["Name"]?.GetValue<string>() ?? "", a["Email"]?.GetValue<string>() ?? ""))];

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        var account = (await organizations.ListAccountsAsync(cancellationToken)).FirstOrDefault(a => a["Name"]?.GetValue<string>() == desired.Name);
        if (account is null)
        {
            return null;
        }

        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = account["Email"]?.GetValue<string>() ?? "" };
        if (desired.Fields.ContainsKey("organizationalUnit"))
        {
            live["organizationalUnit"] = await ParentAsync(account["Id"]!.GetValue<string>(), cancellationToken);
        }

        return live;
    }

    /// <summary>Where an account sits: "root", or its OU's id.</summary>
    public async Task<string> ParentAsync(string accountId, CancellationToken cancellationToken)
    {
        var parent = (await organizations.CallAsync("ListParents", new JsonObject { ["ChildId"] = accountId }, cancellationToken))["Parents"]![0]!;
        return parent["Type"]?.GetValue<string>() == "ROOT" ? "root" : parent["Id"]!.GetValue<string>();
    }

    public IReadOnlyCollection<string> FixedFields => [];

    /// <summary>None: apply never closes or removes an account; one the file leaves out is simply not managed.</summary>
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken) =>
        throw new EstateException($"{resource.Address}: apply does not close accounts");

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        await organizations.EnsureOrganizationAsync(cancellationToken);
        var answer = await organizations.CallAsync("CreateAccount", new JsonObject { ["AccountName"] = resolved.Name, ["Email"] = resolved.Fields["email"] }, cancellationToken);
        var deadline = time.GetUtcNow() + CreationTimeout;
        var status = answer["CreateAccountStatus"]!.AsObject();
        while (status["State"]?.GetValue<string>() == "IN_PROGRESS")
        {
            if (time.GetUtcNow() > deadline)
            {
                throw new EstateException($"{resolved.Address}: CreateAccount was still in progress after {CreationTimeout.TotalMinutes} minutes");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
            var id = status["Id"]!.GetValue<string>();
            status = (await organizations.CallAsync("DescribeCreateAccountStatus", new JsonObject { ["CreateAccountRequestId"] = id }, cancellationToken))["CreateAccountStatus"]!.AsObject();
        }

        if (status["State"]?.GetValue<string>() != "SUCCEEDED")
        {
            throw new EstateException($"{resolved.Address}: CreateAccount failed: {status["FailureReason"]?.GetValue<string>() ?? status["State"]?.GetValue<string>()}");
        }
    }

    /// <summary>Moves the account to the OU the file names (undone by moving it back); its e-mail cannot change through the API.</summary>
    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (fields.Contains("email"))
        {
            throw new EstateException($"{resolved.Address}: an account's e-mail address cannot be changed through the API");
        }

        if (fields.Contains("organizationalUnit"))
        {
            var id = (await FindIdAsync(resolved.Name, cancellationToken))!;
            var root = (await organizations.RootIdAsync(cancellationToken))!;
            string Parent(string value) => value == "root" ? root : value;
            var from = Parent(live["organizationalUnit"]);
            var to = Parent(resolved.Fields["organizationalUnit"]);
            await organizations.CallAsync("MoveAccount", new JsonObject { ["AccountId"] = id, ["SourceParentId"] = from, ["DestinationParentId"] = to }, cancellationToken);
            journal.Done("MoveAccount", () => organizations.CallAsync("MoveAccount", new JsonObject { ["AccountId"] = id, ["SourceParentId"] = to, ["DestinationParentId"] = from }, CancellationToken.None));
        }
    }
}
