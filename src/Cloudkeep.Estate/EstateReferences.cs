using System.Text;
using System.Text.RegularExpressions;

namespace Cloudkeep.Estate;

/// <summary>
/// <c>${...}</c> cross references: <c>${account.NAME.id}</c>, <c>${KIND.ACCOUNT.NAME.arn}</c> for
/// role, policy, user, group, bucket and key, <c>${key.ACCOUNT.NAME.id}</c>, and
/// <c>${zone.ACCOUNT.NAME.nameServers}</c> (a Route 53 zone's name servers, joined by ","). IAM and S3 ARNs
/// follow from names and paths, an SNS topic's from its region (the command's when the file leaves it
/// out) and name; a KMS key's ARN exists only once the key does, so it is looked up.
/// </summary>
internal sealed partial class EstateReferences(EstateDocument document, string defaultRegion = "us-east-1")
{
    private static readonly Dictionary<string, ResourceKind> Kinds = new(StringComparer.Ordinal)
    {
        ["role"] = ResourceKind.Role,
        ["policy"] = ResourceKind.Policy,
        ["user"] = ResourceKind.User,
        ["group"] = ResourceKind.Group,
        ["bucket"] = ResourceKind.Bucket,
        ["key"] = ResourceKind.Key,
        ["topic"] = ResourceKind.Topic,
    };

    /// <summary>Adds an error for every reference to something the file does not declare.</summary>
    public void Validate(List<string> errors)
    {
        foreach (var resource in document.Resources)
        {
            if (resource.Kind == ResourceKind.User && resource.Fields.TryGetValue("groups", out var groups))
            {
                foreach (var group in System.Text.Json.JsonSerializer.Deserialize<string[]>(groups)!.Where(g => Find(ResourceKind.Group, resource.Account, g) is null))
                {
                    var hint = Suggestions.Closest(group, document.Resources.Where(r => r.Kind == ResourceKind.Group && r.Account == resource.Account).Select(r => r.Name)) is { } close ? $"; did you mean '{close}'?" : "";
                    errors.Add($"{resource.Address}: groups: no group '{group}' is declared in account '{resource.Account}'{hint}");
                }
            }

            foreach (var (field, value) in resource.Fields)
            {
                foreach (Match match in Reference().Matches(value))
                {
                    if (Check(match.Groups[1].Value) is { } problem)
                    {
                        errors.Add($"{resource.Address}: {field}: ${{{match.Groups[1].Value}}}: {problem}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// The value with its references replaced, or null when one of them is not known yet (a KMS
    /// key that apply has still to create).
    /// </summary>
    public async Task<string?> ResolveAsync(string value, Func<string, Task<string?>> accountId, Func<string, string, Task<KeyIdentity?>> key, Func<string, Task<string?>>? unit = null, Func<string, string, Task<string?>>? zoneNameServers = null)
    {
        var matches = Reference().Matches(value);
        if (matches.Count == 0)
        {
            return value;
        }

        var result = new StringBuilder();
        var last = 0;
        foreach (Match match in matches)
        {
            result.Append(value, last, match.Index - last);
            var parts = match.Groups[1].Value.Split('.');
            string? replacement;
            if (parts[0] == "account")
            {
                replacement = await accountId(parts[1]);
            }
            else if (parts[0] == "ou")
            {
                replacement = unit is null ? null : await unit(parts[1]);
            }
            else if (parts[0] == "zone")
            {
                // A zone's name has dots of its own: zone.ACCOUNT.NAME.nameServers.
                replacement = zoneNameServers is null ? null : await zoneNameServers(parts[1], string.Join('.', parts[2..^1]));
            }
            else if (parts[0] == "key")
            {
                var found = await key(parts[1], parts[2]);
                replacement = found is null ? null : parts[3] == "id" ? found.Id : found.Arn;
            }
            else
            {
                var resource = Find(Kinds[parts[0]], parts[1], parts[2])!;
                replacement = resource.Kind == ResourceKind.Topic ? await TopicArnAsync(resource, accountId) : await ArnAsync(resource, accountId);
            }

            if (replacement is null)
            {
                return null;
            }

            result.Append(replacement);
            last = match.Index + match.Length;
        }

        return result.Append(value, last, value.Length - last).ToString();
    }

    /// <summary>The ARN of an IAM resource or bucket, which follows from its account, path and name.</summary>
    public static async Task<string?> ArnAsync(EstateResource resource, Func<string, Task<string?>> accountId)
    {
        if (resource.Kind == ResourceKind.Bucket)
        {
            return $"arn:aws:s3:::{resource.Name}";
        }

        var path = resource.Fields.GetValueOrDefault("path") ?? "/";
        var type = KindNames.Of(resource.Kind);
        return await accountId(resource.Account) is { } id ? $"arn:aws:iam::{id}:{type}{path}{resource.Name}" : null;
    }

    /// <summary>A topic's ARN, from its region (the command's when the file leaves it out), account and name.</summary>
    private async Task<string?> TopicArnAsync(EstateResource topic, Func<string, Task<string?>> accountId) =>
        await accountId(topic.Account) is { } owner ? $"arn:aws:sns:{topic.Fields.GetValueOrDefault("region") ?? defaultRegion}:{owner}:{topic.Name}" : null;

    /// <summary>The declared resources a resource refers to (itself excluded): apply creates them first.</summary>
    public IEnumerable<EstateResource> Targets(EstateResource resource)
    {
        foreach (var value in resource.Fields.Values)
        {
            foreach (Match match in Reference().Matches(value))
            {
                var parts = match.Groups[1].Value.Split('.');
                if (parts.Length == 3 && parts[0] == "account" && Find(ResourceKind.Account, document.Management?.Name ?? "", parts[1]) is { } account)
                {
                    yield return account;
                }
                else if (parts.Length >= 5 && parts[0] == "zone" && Find(ResourceKind.Zone, parts[1], string.Join('.', parts[2..^1])) is { } zone && zone != resource)
                {
                    yield return zone;
                }
                else if (parts.Length == 3 && parts[0] == "ou" && Find(ResourceKind.OrganizationalUnit, document.Management?.Name ?? "", parts[1]) is { } unit && unit != resource)
                {
                    yield return unit;
                }
                else if (parts.Length == 4 && Kinds.TryGetValue(parts[0], out var kind) && Find(kind, parts[1], parts[2]) is { } target && target != resource)
                {
                    yield return target;
                }
            }
        }
    }

    private string? Check(string reference)
    {
        var parts = reference.Split('.');
        if (parts.Length == 3 && parts[0] == "account" && parts[2] == "id")
        {
            return document.Accounts.Any(a => a.Name == parts[1]) ? null : $"no account '{parts[1]}' is declared";
        }

        if (parts.Length == 3 && parts[0] == "ou" && parts[2] == "id")
        {
            return Find(ResourceKind.OrganizationalUnit, document.Management?.Name ?? "", parts[1]) is null ? $"no organizational unit '{parts[1]}' is declared" : null;
        }

        if (parts[0] == "zone")
        {
            return parts.Length < 5 || parts[^1] != "nameServers" ? "expected zone.ACCOUNT.NAME.nameServers"
                : Find(ResourceKind.Zone, parts[1], string.Join('.', parts[2..^1])) is null ? $"no zone '{string.Join('.', parts[2..^1])}' is declared in account '{parts[1]}'"
                : null;
        }

        if (parts.Length != 4 || !Kinds.TryGetValue(parts[0], out var kind) || !(parts[3] == "arn" || (kind == ResourceKind.Key && parts[3] == "id")))
        {
            return "expected account.NAME.id, ou.PATH.id, KIND.ACCOUNT.NAME.arn (role, policy, user, group, bucket, key, topic) or key.ACCOUNT.NAME.id";
        }

        return Find(kind, parts[1], parts[2]) is null ? $"no {parts[0]} '{parts[2]}' is declared in account '{parts[1]}'" : null;
    }

    private EstateResource? Find(ResourceKind kind, string account, string name) =>
        document.Resources.FirstOrDefault(r => r.Kind == kind && r.Account == account && r.Name == name);

    // Only our own kinds: ${aws:username} and other IAM policy variables pass through untouched.
    [GeneratedRegex(@"\$\{((?:account|ou|role|policy|user|group|bucket|key|topic|zone)\.[^}]*)\}")]
    private static partial Regex Reference();
}

/// <summary>A live KMS key: its ARN and its id.</summary>
internal sealed record KeyIdentity(string Arn, string Id);
