using System.Text.Json.Nodes;

namespace Cloudkeep.Cli.Estate;

/// <summary>
/// Service control policies of the organization, by name: description, document, and targets
/// (account ids, or "root" for the organization root). FullAWSAccess, which AWS attaches itself, is
/// left alone.
/// </summary>
internal sealed class ScpHandler(OrganizationsClient organizations) : IResourceHandler
{
    private const string Type = "SERVICE_CONTROL_POLICY";

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
            var rootId = await RootIdAsync(cancellationToken);
            var targets = new List<string>();
            foreach (var target in (await organizations.ListAccountsAsync(cancellationToken)).Select(a => a["Id"]!.GetValue<string>()).Prepend(rootId))
            {
                var attached = await organizations.CallAsync("ListPoliciesForTarget", new JsonObject { ["TargetId"] = target, ["Filter"] = Type }, cancellationToken);
                if ((attached["Policies"]?.AsArray() ?? []).Any(p => p?["Id"]?.GetValue<string>() == id))
                {
                    targets.Add(target == rootId ? "root" : target);
                }
            }

            live["targets"] = CanonicalJson.StringList(targets);
        }

        return live;
    }

    public async Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken)
    {
        await EnsureTypeEnabledAsync(cancellationToken);
        await organizations.CallAsync("CreatePolicy", new JsonObject
        {
            ["Name"] = resolved.Name,
            ["Description"] = resolved.Fields.GetValueOrDefault("description") ?? "",
            ["Content"] = resolved.Fields["document"],
            ["Type"] = Type,
        }, cancellationToken);
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var id = (await FindIdAsync(resolved.Name, cancellationToken))!;
        if (fields.Contains("description") || fields.Contains("document"))
        {
            var update = new JsonObject { ["PolicyId"] = id };
            if (fields.Contains("description"))
            {
                update["Description"] = resolved.Fields["description"];
            }

            if (fields.Contains("document"))
            {
                update["Content"] = resolved.Fields["document"];
            }

            await organizations.CallAsync("UpdatePolicy", update, cancellationToken);
        }

        if (fields.Contains("targets"))
        {
            var rootId = await RootIdAsync(cancellationToken);
            var want = Targets(resolved.Fields["targets"], rootId);
            var have = live.TryGetValue("targets", out var targets) ? Targets(targets, rootId) : [];
            foreach (var target in want.Except(have))
            {
                await organizations.CallAsync("AttachPolicy", new JsonObject { ["PolicyId"] = id, ["TargetId"] = target }, cancellationToken);
            }

            foreach (var target in have.Except(want))
            {
                await organizations.CallAsync("DetachPolicy", new JsonObject { ["PolicyId"] = id, ["TargetId"] = target }, cancellationToken);
            }
        }
    }

    private static List<string> Targets(string json, string rootId) =>
        [.. JsonNode.Parse(json)!.AsArray().Select(t => t!.GetValue<string>()).Select(t => t == "root" ? rootId : t)];

    private async Task<string?> FindIdAsync(string name, CancellationToken cancellationToken)
    {
        JsonObject answer;
        try
        {
            answer = await organizations.CallAsync("ListPolicies", new JsonObject { ["Filter"] = Type }, cancellationToken);
        }
        catch (OrganizationsException e) when (e.Code == "AWSOrganizationsNotInUseException")
        {
            return null;
        }

        return (answer["Policies"]?.AsArray() ?? []).FirstOrDefault(p => p?["Name"]?.GetValue<string>() == name)?["Id"]?.GetValue<string>();
    }

    private async Task<string> RootIdAsync(CancellationToken cancellationToken) =>
        (await organizations.CallAsync("ListRoots", [], cancellationToken))["Roots"]![0]!["Id"]!.GetValue<string>();

    /// <summary>SCPs must be enabled on the root before they can be attached (new organizations start without them).</summary>
    private async Task EnsureTypeEnabledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await organizations.CallAsync("DescribeOrganization", [], cancellationToken);
        }
        catch (OrganizationsException e) when (e.Code == "AWSOrganizationsNotInUseException")
        {
            await organizations.CallAsync("CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" }, cancellationToken);
        }

        var root = (await organizations.CallAsync("ListRoots", [], cancellationToken))["Roots"]![0]!;
        var enabled = (root["PolicyTypes"]?.AsArray() ?? []).Any(t => t?["Type"]?.GetValue<string>() == Type && t?["Status"]?.GetValue<string>() == "ENABLED");
        if (!enabled)
        {
            await organizations.CallAsync("EnablePolicyType", new JsonObject { ["RootId"] = root["Id"]!.GetValue<string>(), ["PolicyType"] = Type }, cancellationToken);
        }
    }
}
