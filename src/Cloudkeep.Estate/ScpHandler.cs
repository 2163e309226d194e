using System.Text.Json.Nodes;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// Service control policies of the organization, by name: description, document, and targets
/// (account ids, or "root" for the organization root). FullAWSAccess, which AWS attaches itself, is
/// left alone.
/// </summary>
internal sealed class ScpHandler(OrganizationsClient organizations) : IResourceHandler
{
    private const string Type = "SERVICE_CONTROL_POLICY";

    private static readonly string[] ContentFields = ["description", "document"];

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        if (await FindIdAsync(desired.Name, cancellationToken) is not { } id)
        {
            return null;
        }

        var policy = (await organizations.CallAsync("DescribePolicy", new JsonObject { ["PolicyId"] = id }, cancellationToken))["Policy"]!;
        var live = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["description"] = policy["PolicySummary"]?["Description"]?.GetValue<string>() ?? "",
            ["document"] = CanonicalJson.Parse(policy["Content"]!.GetValue<string>()),
        };
        if (desired.Fields.ContainsKey("targets"))
        {
            var targets = await organizations.ListAsync("ListTargetsForPolicy", new JsonObject { ["PolicyId"] = id }, "Targets", cancellationToken);
            live["targets"] = CanonicalJson.StringList(targets.Select(t => t["Type"]?.GetValue<string>() == "ROOT" ? "root" : t["TargetId"]!.GetValue<string>()));
        }

        return live;
    }

    public IReadOnlyCollection<string> FixedFields => [];

    /// <summary>The organization's own SCPs; AWS's FullAWSAccess is not the estate's to delete.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await PoliciesAsync(cancellationToken)).Where(p => p?["AwsManaged"]?.GetValue<bool>() != true).Select(p => p!["Name"]!.GetValue<string>())];

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        await EnsureTypeEnabledAsync(cancellationToken);
        var created = await organizations.CallAsync("CreatePolicy", new JsonObject
        {
            ["Name"] = resolved.Name,
            ["Description"] = resolved.Fields.GetValueOrDefault("description") ?? "",
            ["Content"] = resolved.Fields["document"],
            ["Type"] = Type,
        }, cancellationToken);
        var id = created["Policy"]!["PolicySummary"]!["Id"]!.GetValue<string>();
        journal.Done("CreatePolicy", () => organizations.CallAsync("DeletePolicy", new JsonObject { ["PolicyId"] = id }, CancellationToken.None));
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var id = (await FindIdAsync(resolved.Name, cancellationToken))!;
        if (fields.Contains("description") || fields.Contains("document"))
        {
            JsonObject Update(IReadOnlyDictionary<string, string> values) => new()
            {
                ["PolicyId"] = id,
                ["Description"] = values.GetValueOrDefault("description") ?? "",
                ["Content"] = values["document"],
            };
            var desired = new Dictionary<string, string>(live.ToDictionary(), StringComparer.Ordinal);
            foreach (var field in ContentFields.Where(fields.Contains))
            {
                desired[field] = resolved.Fields[field];
            }

            await organizations.CallAsync("UpdatePolicy", Update(desired), cancellationToken);
            journal.Done("UpdatePolicy", () => organizations.CallAsync("UpdatePolicy", Update(live), CancellationToken.None));
        }

        if (fields.Contains("targets"))
        {
            var rootId = (await organizations.RootIdAsync(cancellationToken))!;
            var want = Targets(resolved.Fields["targets"], rootId);
            var have = live.TryGetValue("targets", out var targets) ? Targets(targets, rootId) : [];
            foreach (var target in want.Except(have))
            {
                await AttachAsync(journal, id, target, attach: true, cancellationToken);
            }

            foreach (var target in have.Except(want))
            {
                await AttachAsync(journal, id, target, attach: false, cancellationToken);
            }
        }
    }

    /// <summary>Detaches the policy from its targets (undoable), then deletes it.</summary>
    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await FindIdAsync(resource.Name, cancellationToken) is not { } id)
        {
            return;
        }

        var targets = await organizations.ListAsync("ListTargetsForPolicy", new JsonObject { ["PolicyId"] = id }, "Targets", cancellationToken);
        foreach (var target in targets.Select(t => t["TargetId"]!.GetValue<string>()))
        {
            await AttachAsync(journal, id, target, attach: false, cancellationToken);
        }

        await organizations.CallAsync("DeletePolicy", new JsonObject { ["PolicyId"] = id }, cancellationToken);
    }

    private async Task AttachAsync(ChangeJournal journal, string id, string target, bool attach, CancellationToken cancellationToken)
    {
        var call = new JsonObject { ["PolicyId"] = id, ["TargetId"] = target };
        await organizations.CallAsync(attach ? "AttachPolicy" : "DetachPolicy", call, cancellationToken);
        journal.Done(attach ? "AttachPolicy" : "DetachPolicy",
            () => organizations.CallAsync(attach ? "DetachPolicy" : "AttachPolicy", new JsonObject { ["PolicyId"] = id, ["TargetId"] = target }, CancellationToken.None));
    }

    private static List<string> Targets(string json, string rootId) =>
        [.. JsonNode.Parse(json)!.AsArray().Select(t => t!.GetValue<string>()).Select(t => t == "root" ? rootId : t)];

    private async Task<string?> FindIdAsync(string name, CancellationToken cancellationToken) =>
        (await PoliciesAsync(cancellationToken)).FirstOrDefault(p => p?["Name"]?.GetValue<string>() == name)?["Id"]?.GetValue<string>();

    /// <summary>The organization's SCPs (none without an organization).</summary>
    private async Task<List<JsonNode?>> PoliciesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var answer = await organizations.CallAsync("ListPolicies", new JsonObject { ["Filter"] = Type }, cancellationToken);
            return [.. answer["Policies"]?.AsArray() ?? []];
        }
        catch (OrganizationsException e) when (e.Code == "AWSOrganizationsNotInUseException")
        {
            return [];
        }
    }

    /// <summary>SCPs must be enabled on the root before they can be attached (new organizations start without them).</summary>
    private async Task EnsureTypeEnabledAsync(CancellationToken cancellationToken)
    {
        await organizations.EnsureOrganizationAsync(cancellationToken);
        var root = (await organizations.RootAsync(cancellationToken))!;
        var enabled = (root["PolicyTypes"]?.AsArray() ?? []).Any(t => t?["Type"]?.GetValue<string>() == Type && t?["Status"]?.GetValue<string>() == "ENABLED");
        if (!enabled)
        {
            await organizations.CallAsync("EnablePolicyType", new JsonObject { ["RootId"] = root["Id"]!.GetValue<string>(), ["PolicyType"] = Type }, cancellationToken);
        }
    }
}
