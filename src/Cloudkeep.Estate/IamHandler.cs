using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>Shared pieces of the IAM resource handlers: calls recorded with their undo, attachments, tags and inline policies.</summary>
internal abstract class IamHandler(IamClient iam, Func<CancellationToken, Task<string>> accountId) : IResourceHandler
{
    public IamClient Iam { get; } = iam;

    public virtual IReadOnlyCollection<string> FixedFields => [];

    public abstract Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    public abstract Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken);

    public abstract Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken);

    public abstract Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken);

    protected static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    /// <summary>IAM returns policy documents URL-encoded.</summary>
    protected static string Document(string? encoded) => encoded is null ? "" : CanonicalJson.Parse(Uri.UnescapeDataString(encoded));

    protected async Task<string> ArnAsync(EstateResource resource, CancellationToken cancellationToken) =>
        (await EstateReferences.ArnAsync(resource, async _ => await accountId(cancellationToken)))!;

    protected static List<string> Strings(string json) => [.. JsonNode.Parse(json)!.AsArray().Select(n => n!.GetValue<string>())];

    protected static Dictionary<string, string> Map(string json) => JsonNode.Parse(json)!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    /// <summary>Makes a call and records <paramref name="undo"/> (an action and its parameters) to reverse it.</summary>
    protected async Task DoAsync(ChangeJournal journal, string action, KeyValuePair<string, string>[] parameters, string? undo, KeyValuePair<string, string>[] undoParameters, CancellationToken cancellationToken)
    {
        await Iam.CallAsync(action, parameters, cancellationToken);
        if (undo is not null)
        {
            journal.Done(action, () => Iam.CallAsync(undo, undoParameters, CancellationToken.None));
        }
    }

    /// <summary>Attaches the desired managed policies that are missing and detaches the others.</summary>
    protected async Task SyncAttachedAsync(ChangeJournal journal, string entity, string owner, string? liveJson, string desiredJson, CancellationToken cancellationToken)
    {
        var live = liveJson is null ? [] : Strings(liveJson);
        var desired = Strings(desiredJson);
        var ownerParameter = P($"{entity}Name", owner);
        foreach (var arn in desired.Except(live))
        {
            await DoAsync(journal, $"Attach{entity}Policy", [ownerParameter, P("PolicyArn", arn)], $"Detach{entity}Policy", [ownerParameter, P("PolicyArn", arn)], cancellationToken);
        }

        foreach (var arn in live.Except(desired))
        {
            await DoAsync(journal, $"Detach{entity}Policy", [ownerParameter, P("PolicyArn", arn)], $"Attach{entity}Policy", [ownerParameter, P("PolicyArn", arn)], cancellationToken);
        }
    }

    protected async Task<string> AttachedAsync(string entity, string owner, CancellationToken cancellationToken)
    {
        var members = await Iam.ListAsync($"ListAttached{entity}Policies", [P($"{entity}Name", owner)], "AttachedPolicies", cancellationToken);
        return CanonicalJson.StringList(members.Select(m => IamClient.Child(m, "PolicyArn") ?? ""));
    }

    protected async Task<string> TagsAsync(string entity, string owner, CancellationToken cancellationToken)
    {
        var tags = await Iam.ListAsync($"List{entity}Tags", [P($"{entity}Name", owner)], "Tags", cancellationToken);
        return CanonicalJson.StringMap(tags.Select(t => KeyValuePair.Create(IamClient.Child(t, "Key") ?? "", IamClient.Child(t, "Value") ?? "")));
    }

    /// <summary>Brings a user's or role's tags to the desired ones: stale keys removed, the rest set; each step undoable.</summary>
    protected async Task SyncTagsAsync(ChangeJournal journal, string entity, string owner, string? liveJson, string desiredJson, CancellationToken cancellationToken)
    {
        var ownerParameter = P($"{entity}Name", owner);
        var desired = Map(desiredJson);
        var old = liveJson is null ? [] : Map(liveJson);
        var stale = old.Where(t => !desired.ContainsKey(t.Key)).ToList();
        if (stale.Count > 0)
        {
            await DoAsync(journal, $"Untag{entity}", [ownerParameter, .. TagKeys(stale.Select(t => t.Key))], $"Tag{entity}", [ownerParameter, .. TagList(stale)], cancellationToken);
        }

        var changed = desired.Where(t => old.GetValueOrDefault(t.Key) != t.Value).ToList();
        if (changed.Count > 0)
        {
            await Iam.CallAsync($"Tag{entity}", [ownerParameter, .. TagList(changed)], cancellationToken);
            var added = changed.Where(t => !old.ContainsKey(t.Key)).Select(t => t.Key).ToList();
            var overwritten = old.Where(t => changed.Any(c => c.Key == t.Key)).ToList();
            journal.Done($"Tag{entity}", async () =>
            {
                if (added.Count > 0)
                {
                    await Iam.CallAsync($"Untag{entity}", [ownerParameter, .. TagKeys(added)], CancellationToken.None);
                }

                if (overwritten.Count > 0)
                {
                    await Iam.CallAsync($"Tag{entity}", [ownerParameter, .. TagList(overwritten)], CancellationToken.None);
                }
            });
        }
    }

    /// <summary>Deletes every inline policy and detaches every managed one of a group, user or role, each undoable.</summary>
    protected async Task DetachAllAsync(ChangeJournal journal, string entity, string owner, CancellationToken cancellationToken)
    {
        var ownerParameter = P($"{entity}Name", owner);
        foreach (var name in (await Iam.ListAsync($"List{entity}Policies", [ownerParameter], "PolicyNames", cancellationToken)).Select(n => n.Value))
        {
            var document = Uri.UnescapeDataString(IamClient.Descendant(await Iam.CallAsync($"Get{entity}Policy", [ownerParameter, P("PolicyName", name)], cancellationToken), "PolicyDocument") ?? "");
            await DoAsync(journal, $"Delete{entity}Policy", [ownerParameter, P("PolicyName", name)], $"Put{entity}Policy", [ownerParameter, P("PolicyName", name), P("PolicyDocument", document)], cancellationToken);
        }

        var attached = await AttachedAsync(entity, owner, cancellationToken);
        await SyncAttachedAsync(journal, entity, owner, attached, "[]", cancellationToken);
    }

    private static IEnumerable<KeyValuePair<string, string>> TagKeys(IEnumerable<string> keys) => keys.Select((k, i) => P($"TagKeys.member.{i + 1}", k));

    private static IEnumerable<KeyValuePair<string, string>> TagList(IEnumerable<KeyValuePair<string, string>> tags) =>
        tags.SelectMany((t, i) => new[] { P($"Tags.member.{i + 1}.Key", t.Key), P($"Tags.member.{i + 1}.Value", t.Value) });
}
