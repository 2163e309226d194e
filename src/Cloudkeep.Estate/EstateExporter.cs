using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudkeep.Client;
using YamlDotNet.Serialization;

namespace Cloudkeep.Estate;

/// <summary>
/// `cloudkeep export`: the live estate as an estate file. Every account of the organization (or the
/// caller's account alone), with ARNs and account ids of exported things turned back into
/// <c>${...}</c> references, so the file can be applied to another server and exported again unchanged.
/// </summary>
internal sealed partial class EstateExporter(EstateConnection connection, string managementName, IReadOnlyList<string> keyRegions)
{
    private readonly List<(string Value, string Reference)> _names = [];

    public async Task<string> ExportAsync(CancellationToken cancellationToken)
    {
        var managementId = await connection.AccountIdAsync(cancellationToken);
        var accounts = new JsonObject();
        var members = (await new AccountHandler(connection.Organizations, connection.Time).AccountsAsync(cancellationToken))
            .Where(a => a.Id != managementId)
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
        _names.Add((managementId, $"${{account.{managementName}.id}}"));
        foreach (var member in members)
        {
            _names.Add((member.Id, $"${{account.{member.Name}.id}}"));
        }

        var tree = await new OrganizationalUnitHandler(connection.Organizations).TreeAsync(cancellationToken);
        var paths = tree.ToDictionary(t => t.Id, t => t.Path, StringComparer.Ordinal);
        accounts[managementName] = await AccountAsync(connection, managementName, management: true, null, cancellationToken);
        if (tree.Count > 0)
        {
            accounts[managementName]!["organizationalUnits"] = new JsonObject(tree.OrderBy(t => t.Path, StringComparer.Ordinal).Select(t => KeyValuePair.Create(t.Path, (JsonNode?)new JsonObject())));
        }

        if (await ServiceControlPoliciesAsync(members, paths, cancellationToken) is { Count: > 0 } scps)
        {
            accounts[managementName]!["serviceControlPolicies"] = scps;
        }

        var placements = new AccountHandler(connection.Organizations, connection.Time);
        foreach (var member in members)
        {
            using var inside = await connection.ForAccountAsync(member.Id, cancellationToken);
            var unit = paths.GetValueOrDefault(await placements.ParentAsync(member.Id, cancellationToken));
            accounts[member.Name] = await AccountAsync(inside, member.Name, management: false, member.Email, cancellationToken, unit);
        }

        var root = Referenced(new JsonObject { ["accounts"] = accounts });
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();
        return "# yaml-language-server: $schema=https://cloudkeep.dev/schemas/estate.schema.json\n" + serializer.Serialize(Plain(root));
    }

    private async Task<JsonObject> AccountAsync(EstateConnection account, string name, bool management, string? email, CancellationToken cancellationToken, string? unit = null)
    {
        // Topics and alarms are looked for in the command's region, us-east-1 (billing alarms live only there) and the key regions.
        var context = new AccountContext(account, new AccountHandler(account.Organizations, account.Time), owned: false, keyRegions: keyRegions,
            serviceRegions: [.. new[] { account.DefaultRegion, "us-east-1" }.Concat(keyRegions).Distinct()]);
        var iam = account.Iam;
        var result = new JsonObject();
        if (management)
        {
            result["management"] = true;
        }
        else
        {
            result["email"] = email;
            if (unit is not null)
            {
                result["organizationalUnit"] = unit;
            }
        }

        var settingsProbe = Probe(ResourceKind.AccountSettings, name, "settings", ["alias", .. EstateParser.PasswordPolicyKeys.Select(k => $"passwordPolicy.{k}")]);
        var settings = (await context.Handlers[ResourceKind.AccountSettings].ReadAsync(settingsProbe, cancellationToken))!;
        if (settings.TryGetValue("alias", out var alias))
        {
            result["alias"] = alias;
        }

        var passwordPolicy = new JsonObject();
        foreach (var key in EstateParser.PasswordPolicyKeys)
        {
            if (settings.TryGetValue($"passwordPolicy.{key}", out var value))
            {
                passwordPolicy[key] = Scalar(value);
            }
        }

        if (passwordPolicy.Count > 0)
        {
            result["passwordPolicy"] = passwordPolicy;
        }

        // Managed policies first, so attachments can name them.
        var policies = new JsonObject();
        foreach (var policy in Sorted(await iam.ListAsync("ListPolicies", [new("Scope", "Local")], "Policies", cancellationToken), "PolicyName"))
        {
            var policyName = IamClient.Child(policy, "PolicyName")!;
            var path = IamClient.Child(policy, "Path") ?? "/";
            _names.Add((IamClient.Child(policy, "Arn")!, $"${{policy.{name}.{policyName}.arn}}"));
            var live = (await context.Handlers[ResourceKind.Policy].ReadAsync(Probe(ResourceKind.Policy, name, policyName, ["path", "document", "description"], path), cancellationToken))!;
            policies[policyName] = Fields(live, ["path", "description", "document"]);
        }

        var groups = new JsonObject();
        foreach (var group in Sorted(await iam.ListAsync("ListGroups", [], "Groups", cancellationToken), "GroupName"))
        {
            var groupName = IamClient.Child(group, "GroupName")!;
            _names.Add((IamClient.Child(group, "Arn")!, $"${{group.{name}.{groupName}.arn}}"));
            var live = (await context.Handlers[ResourceKind.Group].ReadAsync(Probe(ResourceKind.Group, name, groupName, ["policies"]), cancellationToken))!;
            var fields = Fields(live, ["path", "policies"]);
            await InlineAsync(context, ResourceKind.GroupPolicy, "Group", name, groupName, fields, cancellationToken);
            groups[groupName] = fields;
        }

        var users = new JsonObject();
        foreach (var user in Sorted(await iam.ListAsync("ListUsers", [], "Users", cancellationToken), "UserName"))
        {
            var userName = IamClient.Child(user, "UserName")!;
            _names.Add((IamClient.Child(user, "Arn")!, $"${{user.{name}.{userName}.arn}}"));
            var live = (await context.Handlers[ResourceKind.User].ReadAsync(Probe(ResourceKind.User, name, userName, ["tags", "groups", "console", "accessKey", "mfaRequired"]), cancellationToken))!;
            users[userName] = Fields(live, ["path", "tags", "groups", "console", "accessKey", "mfaRequired"]);
        }

        var roles = new JsonObject();
        foreach (var role in Sorted(await iam.ListAsync("ListRoles", [], "Roles", cancellationToken), "RoleName"))
        {
            var roleName = IamClient.Child(role, "RoleName")!;
            var path = IamClient.Child(role, "Path") ?? "/";
            if (path.StartsWith("/aws-service-role/", StringComparison.Ordinal) || (!management && roleName == RoleHandler.AccessRole))
            {
                continue;
            }

            _names.Add((IamClient.Child(role, "Arn")!, $"${{role.{name}.{roleName}.arn}}"));
            var live = (await context.Handlers[ResourceKind.Role].ReadAsync(Probe(ResourceKind.Role, name, roleName, ["policies", "tags"]), cancellationToken))!;
            var fields = Fields(live, ["path", "description", "trustPolicy", "maxSessionDuration", "permissionsBoundary", "tags", "policies"]);
            await InlineAsync(context, ResourceKind.RolePolicy, "Role", name, roleName, fields, cancellationToken);
            roles[roleName] = fields;
        }

        var keys = new JsonObject();
        foreach (var keyName in (await context.Keys.ListAsync(cancellationToken)).Order(StringComparer.Ordinal))
        {
            if (await context.Keys.FindAsync(keyName, cancellationToken) is not { } identity)
            {
                continue;
            }

            _names.Add((identity.Arn, $"${{key.{name}.{keyName}.arn}}"));
            _names.Add((identity.Id, $"${{key.{name}.{keyName}.id}}"));
            var live = (await context.Keys.ReadAsync(Probe(ResourceKind.Key, name, keyName, ["policy"]), cancellationToken))!;
            keys[keyName] = Fields(live, ["description", "policy"]);
        }

        var buckets = new JsonObject();
        var owned = await account.S3(account.DefaultRegion).ListBucketsAsync(new Amazon.S3.Model.ListBucketsRequest(), cancellationToken);
        foreach (var bucket in (owned.Buckets ?? []).OrderBy(b => b.BucketName, StringComparer.Ordinal))
        {
            _names.Add(($"arn:aws:s3:::{bucket.BucketName}", $"${{bucket.{name}.{bucket.BucketName}.arn}}"));
            var live = (await context.Handlers[ResourceKind.Bucket].ReadAsync(Probe(ResourceKind.Bucket, name, bucket.BucketName, EstateParser.BucketKeys.Where(k => k != "region")), cancellationToken))!;
            var fields = Fields(live, ["region", "versioning", "mfaDelete", "encryption", "policy", "publicAccessBlock", "cors", "lifecycle", "replication", "logging", "tags"]);
            // A bucket that was never versioned is the default; every rule's status is Enabled unless it says otherwise.
            if (fields["versioning"]?.GetValue<string>() == "Disabled")
            {
                fields.Remove("versioning");
            }

            foreach (var rule in (fields["lifecycle"] as JsonArray ?? []).OfType<JsonObject>().Where(r => r["status"]?.GetValue<string>() == "Enabled"))
            {
                rule.Remove("status");
            }

            // Settings at their defaults are left out, as a hand-written file would.
            if (fields["publicAccessBlock"] is JsonObject block && block.All(p => p.Value?.GetValue<bool>() == false))
            {
                fields.Remove("publicAccessBlock");
            }

            Encryption(fields);
            Replication(fields);
            buckets[bucket.BucketName] = fields;
        }

        // Every trail the account owns, whatever its home region; an organization's trail seen from a member is not the member's.
        var trails = new JsonObject();
        var trailHandler = (TrailHandler)context.Handlers[ResourceKind.Trail];
        foreach (var trail in (await trailHandler.OwnAsync(cancellationToken)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var live = (await trailHandler.ReadAsync(Probe(ResourceKind.Trail, name, trail.Name, []), cancellationToken))!;
            trails[trail.Name] = Fields(live, TrailHandler.Keys);
        }

        var topics = await TopicsAsync(context, name, cancellationToken);
        var alarms = new JsonObject();
        var alarmHandler = (AlarmHandler)context.Handlers[ResourceKind.Alarm];
        foreach (var alarmName in await alarmHandler.ListAsync(cancellationToken))
        {
            var (region, alarm) = (await alarmHandler.FindAsync(alarmName, account.DefaultRegion, cancellationToken))!.Value;
            alarms[alarmName] = Fields(AlarmHandler.Live(region, alarm), AlarmHandler.Keys);
        }

        var budgets = new JsonObject();
        var budgetHandler = (BudgetHandler)context.Handlers[ResourceKind.Budget];
        foreach (var budgetName in await budgetHandler.ListAsync(cancellationToken))
        {
            var live = (await budgetHandler.ReadAsync(Probe(ResourceKind.Budget, name, budgetName, []), cancellationToken))!;
            budgets[budgetName] = Fields(live, BudgetHandler.Keys);
        }

        var zones = await ZonesAsync(account, name, cancellationToken);
        foreach (var (section, items) in new[] { ("policies", policies), ("groups", groups), ("users", users), ("roles", roles), ("keys", keys), ("buckets", buckets), ("trails", trails), ("topics", topics), ("alarms", alarms), ("budgets", budgets), ("zones", zones) })
        {
            if (items.Count > 0)
            {
                result[section] = items;
            }
        }

        return result;
    }

    /// <summary>
    /// The account's topics with their subscriptions (pending ones too: the file declared them, and
    /// plan counts them as there). A policy that is SNS's default (its Id "__default_policy_ID") and an
    /// empty display name are left out, as a hand-written file would leave them.
    /// </summary>
    private async Task<JsonObject> TopicsAsync(AccountContext context, string name, CancellationToken cancellationToken)
    {
        var topics = new JsonObject();
        var handler = (TopicHandler)context.Handlers[ResourceKind.Topic];
        var subscriptions = (SubscriptionHandler)context.Handlers[ResourceKind.Subscription];
        foreach (var (topicName, region, arn) in (await handler.OwnAsync(cancellationToken)).OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Region, StringComparer.Ordinal))
        {
            // The file names a topic by name alone: of two topics of one name in different regions, the first region's is exported.
            if (topics.ContainsKey(topicName))
            {
                continue;
            }

            _names.Add((arn, $"${{topic.{name}.{topicName}.arn}}"));
            var live = (await handler.ReadAsync(new EstateResource(ResourceKind.Topic, name, topicName, new Dictionary<string, string> { ["region"] = region }), cancellationToken))!;
            if (live.GetValueOrDefault("displayName") is "")
            {
                live.Remove("displayName");
            }

            if (live.TryGetValue("policy", out var policy) && JsonNode.Parse(policy)?["Id"]?.GetValue<string>() == "__default_policy_ID")
            {
                live.Remove("policy");
            }

            var fields = Fields(live, TopicHandler.Keys);
            var subscribed = (await subscriptions.SubscriptionsAsync(region, arn, cancellationToken))
                .OrderBy(s => s.Protocol, StringComparer.Ordinal).ThenBy(s => s.Endpoint, StringComparer.Ordinal)
                .Select(s => (JsonNode?)new JsonObject { ["protocol"] = s.Protocol, ["endpoint"] = s.Endpoint }).ToArray();
            if (subscribed.Length > 0)
            {
                fields["subscriptions"] = new JsonArray(subscribed);
            }

            topics[topicName] = fields;
        }

        return topics;
    }

    /// <summary>
    /// The account's public zones with every record set but the apex SOA and NS, names relative to
    /// the zone. A delegation's NS values are written joined, so that where they are another exported
    /// zone's name servers they become <c>${zone.ACCOUNT.NAME.nameServers}</c>, which apply resolves again.
    /// </summary>
    private async Task<JsonObject> ZonesAsync(EstateConnection account, string name, CancellationToken cancellationToken)
    {
        var zones = new JsonObject();
        var handler = new ZoneHandler(account.Route53);
        foreach (var zone in (await account.Route53.ListZonesAsync(cancellationToken)).Where(z => !z.Private).OrderBy(z => z.Name, StringComparer.Ordinal))
        {
            var zoneName = zone.Name.TrimEnd('.');
            if (zones.ContainsKey(zoneName))
            {
                continue;
            }

            var servers = string.Join(',', (await account.Route53.NameServersAsync(zone.Id, cancellationToken)).Select(n => (n.EndsWith('.') ? n : n + ".").ToLowerInvariant()).Order(StringComparer.Ordinal));
            _names.Add((servers, $"${{zone.{name}.{zoneName}.nameServers}}"));
            var records = new JsonArray();
            foreach (var set in await handler.ManagedAsync(zone, cancellationToken))
            {
                var record = ZoneHandler.Json(set, joinValues: set.Type == "NS");
                var absolute = record["name"]!.GetValue<string>();
                record["name"] = string.Equals(absolute, zone.Name, StringComparison.OrdinalIgnoreCase) ? "@" : absolute[..^(zone.Name.Length + 1)];
                records.Add(record);
            }

            zones[zoneName] = new JsonObject { ["records"] = records };
        }

        return zones;
    }

    /// <summary>
    /// Default encryption as a hand-written file has it: left out at S3's default (AES256, no bucket
    /// key), the bare algorithm when that is all there is, else a mapping without bucketKey: false.
    /// </summary>
    private static void Encryption(JsonObject fields)
    {
        if (fields["encryption"] is not JsonObject encryption)
        {
            return;
        }

        var bucketKey = encryption["bucketKey"]?.GetValue<bool>() == true;
        var algorithm = encryption["algorithm"]!.GetValue<string>();
        var keyId = encryption["kmsKeyId"]?.GetValue<string>();
        if (keyId is null && !bucketKey)
        {
            if (algorithm == "AES256")
            {
                fields.Remove("encryption");
            }
            else
            {
                fields["encryption"] = algorithm;
            }

            return;
        }

        var written = new JsonObject { ["algorithm"] = algorithm };
        if (keyId is not null)
        {
            written["kmsKeyId"] = keyId;
        }

        if (bucketKey)
        {
            written["bucketKey"] = true;
        }

        fields["encryption"] = written;
    }

    /// <summary>
    /// Replication rules as a hand-written file has them: without status Enabled, delete-marker
    /// replication off, or priority 0 on a lone rule, which are what the parser assumes. The role and
    /// destination ARNs become references like every exported ARN.
    /// </summary>
    private static void Replication(JsonObject fields)
    {
        var rules = (fields["replication"]?["rules"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var rule in rules)
        {
            if (rule["status"]?.GetValue<string>() == "Enabled")
            {
                rule.Remove("status");
            }

            if (rule["deleteMarkerReplication"]?.GetValue<bool>() == false)
            {
                rule.Remove("deleteMarkerReplication");
            }

            if (rules.Count == 1 && rule["priority"]?.GetValue<long>() == 0)
            {
                rule.Remove("priority");
            }
        }
    }

    /// <summary>The organization's own SCPs, with their targets as the file names them ("root", "ou:PATH" or account names).</summary>
    private async Task<JsonObject> ServiceControlPoliciesAsync(List<(string Id, string Name, string Email)> members, Dictionary<string, string> units, CancellationToken cancellationToken)
    {
        var handler = new ScpHandler(connection.Organizations);
        var policies = new JsonObject();
        foreach (var policyName in (await handler.ListAsync(cancellationToken)).Order(StringComparer.Ordinal))
        {
            var live = (await handler.ReadAsync(Probe(ResourceKind.ServiceControlPolicy, managementName, policyName, ["targets"]), cancellationToken))!;
            var fields = Fields(live, ["description", "document"]);
            var targets = JsonNode.Parse(live["targets"])!.AsArray().Select(t => t!.GetValue<string>())
                .Select(t => t == "root" ? t : units.TryGetValue(t, out var path) ? $"ou:{path}" : members.FirstOrDefault(m => m.Id == t).Name ?? t)
                .Order(StringComparer.Ordinal);
            fields["targets"] = new JsonArray([.. targets.Select(t => (JsonNode?)JsonValue.Create(t))]);
            policies[policyName] = fields;
        }

        return policies;
    }

    private static async Task InlineAsync(AccountContext context, ResourceKind kind, string owner, string account, string name, JsonObject fields, CancellationToken cancellationToken)
    {
        var iam = ((InlinePolicyHandler)context.Handlers[kind]).Iam;
        var names = await iam.ListAsync($"List{owner}Policies", [new($"{owner}Name", name)], "PolicyNames", cancellationToken);
        var inline = new JsonObject();
        foreach (var policy in names.Select(n => n.Value).Order(StringComparer.Ordinal))
        {
            var live = (await context.Handlers[kind].ReadAsync(Probe(kind, account, $"{name}/{policy}", ["document"]), cancellationToken))!;
            inline[policy] = JsonNode.Parse(live["document"]);
        }

        if (inline.Count > 0)
        {
            fields["inlinePolicies"] = inline;
        }
    }

    private static EstateResource Probe(ResourceKind kind, string account, string name, IEnumerable<string> fields, string? path = null)
    {
        var values = fields.ToDictionary(f => f, _ => "", StringComparer.Ordinal);
        if (path is not null)
        {
            values["path"] = path;
        }

        return new EstateResource(kind, account, name, values);
    }

    /// <summary>The live fields as file values: JSON ones as structures, the rest as scalars; defaults and empty lists are left out.</summary>
    private static JsonObject Fields(Dictionary<string, string> live, string[] order)
    {
        var fields = new JsonObject();
        foreach (var key in order.Where(live.ContainsKey))
        {
            var value = live[key];
            if ((key == "path" && value == "/") || (key == "description" && value.Length == 0) || value is "{}" or "[]" || (key is "console" or "accessKey" or "mfaRequired" or "mfaDelete" && value == "false"))
            {
                continue;
            }

            fields[key] = value.StartsWith('{') || value.StartsWith('[') ? JsonNode.Parse(value) : Scalar(value);
        }

        if (fields["publicAccessBlock"] is JsonObject block)
        {
            fields["publicAccessBlock"] = new JsonObject(block.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value!.GetValue<string>() == "true"))));
        }

        return fields;
    }

    private static JsonValue Scalar(string value) => value switch
    {
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };

    private static IEnumerable<System.Xml.Linq.XElement> Sorted(IEnumerable<System.Xml.Linq.XElement> items, string name) =>
        items.OrderBy(i => IamClient.Child(i, name), StringComparer.Ordinal);

    /// <summary>Every string with the exported ARNs, ids and account ids replaced by references, longest first.</summary>
    private JsonNode Referenced(JsonNode node)
    {
        var names = _names.OrderByDescending(n => n.Value.Length).ToList();
        return Rewrite(node, text =>
        {
            foreach (var (value, reference) in names)
            {
                // Bucket ARNs are prefixes of object ARNs; a key id or account id must stand alone.
                text = Regex.Replace(text, $"(?<![A-Za-z0-9-]){Regex.Escape(value)}(?![A-Za-z0-9-])", reference.Replace("$", "$$", StringComparison.Ordinal));
            }

            return text;
        })!;
    }

    private static JsonNode? Rewrite(JsonNode? node, Func<string, string> rewrite) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Rewrite(p.Value, rewrite)))),
        JsonArray array => new JsonArray([.. array.Select(n => Rewrite(n, rewrite))]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(rewrite(text)),
        _ => node?.DeepClone(),
    };

    /// <summary>Plain .NET values for the YAML serializer, keeping key order.</summary>
    private static object? Plain(JsonNode? node) => node switch
    {
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray array => array.Select(Plain).ToList(),
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value => value.ToJsonString(),
        _ => null,
    };
}
