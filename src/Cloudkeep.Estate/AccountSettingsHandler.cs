using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>The account alias and the password policy. They are settings, never deleted: leaving them out of the file leaves them alone.</summary>
internal sealed class AccountSettingsHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IamHandler(iam, accountId)
{
    private const string Prefix = "passwordPolicy.";

    public override async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        if (desired.Fields.ContainsKey("alias"))
        {
            var aliases = await Iam.ListAsync("ListAccountAliases", [], "AccountAliases", cancellationToken);
            if (aliases.FirstOrDefault() is { } alias)
            {
                live["alias"] = alias.Value;
            }
        }

        if (desired.Fields.Keys.Any(k => k.StartsWith(Prefix, StringComparison.Ordinal))
            && await Iam.FindAsync("GetAccountPasswordPolicy", [], cancellationToken) is { } answer
            && answer.Descendants().FirstOrDefault(e => e.Name.LocalName == "PasswordPolicy") is { } policy)
        {
            foreach (var element in policy.Elements())
            {
                var name = char.ToLowerInvariant(element.Name.LocalName[0]) + element.Name.LocalName[1..];
                if (EstateParser.PasswordPolicyKeys.Contains(name))
                {
                    live[Prefix + name] = element.Value;
                }
            }
        }

        return live;
    }

    public override Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["settings"]);

    public override Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (fields.Contains("alias"))
        {
            if (live.TryGetValue("alias", out var old))
            {
                await DoAsync(journal, "DeleteAccountAlias", [P("AccountAlias", old)], "CreateAccountAlias", [P("AccountAlias", old)], cancellationToken);
            }

            var alias = resolved.Fields["alias"];
            await DoAsync(journal, "CreateAccountAlias", [P("AccountAlias", alias)], "DeleteAccountAlias", [P("AccountAlias", alias)], cancellationToken);
        }

        if (fields.Any(f => f.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            // UpdateAccountPasswordPolicy resets every setting it is not given, so all desired ones go together.
            var oldSettings = live.Where(p => p.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
            await DoAsync(journal, "UpdateAccountPasswordPolicy", Parameters(resolved.Fields),
                oldSettings.Count == 0 ? "DeleteAccountPasswordPolicy" : "UpdateAccountPasswordPolicy", Parameters(oldSettings), cancellationToken);
        }
    }

    private static KeyValuePair<string, string>[] Parameters(IEnumerable<KeyValuePair<string, string>> fields) =>
        [.. fields.Where(p => p.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(p => P(char.ToUpperInvariant(p.Key[Prefix.Length]) + p.Key[(Prefix.Length + 1)..], p.Value))];
}
