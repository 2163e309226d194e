using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// Reads an estate file (YAML) into flattened resources, collecting every problem it finds before
/// giving up, so one run shows them all. docs/estate.schema.json describes the same format.
/// </summary>
internal sealed partial class EstateParser
{
    internal static readonly string[] PasswordPolicyKeys =
    [
        "minimumPasswordLength", "requireSymbols", "requireNumbers", "requireUppercaseCharacters", "requireLowercaseCharacters",
        "allowUsersToChangePassword", "maxPasswordAge", "passwordReusePrevention", "hardExpiry",
    ];

    /// <summary>What a bucket may say; export reads the same settings. A new one goes here, in docs/estate.schema.json (EstateSchemaTests compares), in a BucketHandler partial and in the exporter's field order.</summary>
    internal static readonly string[] BucketKeys =
    [
        "region", "policy", "publicAccessBlock", "cors", "tags", "versioning", "mfaDelete", "lifecycle", "encryption", "replication", "logging",
    ];

    private readonly string _baseDirectory;
    private readonly IReadOnlyDictionary<string, string> _decrypted;
    private readonly List<string> _errors = [];
    private readonly List<EstateResource> _resources = [];
    private readonly List<EstateAccount> _accounts = [];
    private readonly IReadOnlyDictionary<string, string> _overrides;
    private EstateVariables? _variables;

    private EstateParser(string baseDirectory, IReadOnlyDictionary<string, string>? decrypted, IReadOnlyDictionary<string, string>? variables)
    {
        _baseDirectory = baseDirectory;
        _decrypted = decrypted ?? new Dictionary<string, string>();
        _overrides = variables ?? new Dictionary<string, string>();
    }

    public static EstateDocument ParseFile(string path, IReadOnlyDictionary<string, string>? decrypted = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EstateException($"cannot read {path}: {e.Message}", e);
        }

        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", decrypted, variables);
    }
    /// <summary>Parses and validates; throws <see cref="EstateValidationException"/> listing every problem.</summary>
    public static EstateDocument Parse(string text, string baseDirectory, IReadOnlyDictionary<string, string>? decrypted = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var parser = new EstateParser(baseDirectory, decrypted, variables);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new EstateValidationException([$"line {e.Start.Line}: {e.Message}"]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new EstateValidationException(["the estate file must be a YAML mapping with an 'accounts' key"]);
        }

        parser.Root(root);
        var document = new EstateDocument(parser._accounts, parser._resources);
        new EstateReferences(document).Validate(parser._errors);
        return parser._errors.Count > 0 ? throw new EstateValidationException(parser._errors) : document;
    }

    private void Root(YamlMappingNode root)
    {
        var declared = root.Children.TryGetValue(new YamlScalarNode("variables"), out var variables) ? Mapping(variables, "variables") : null;
        _variables = new EstateVariables(declared, _overrides, Error);
        foreach (var (key, value) in Entries(root, "", ["variables", "accounts"]))
        {
            if (key == "accounts" && Mapping(_variables.Substitute(value, "accounts"), "accounts") is { } accounts)
            {
                foreach (var (name, account) in Entries(accounts, "accounts", null))
                {
                    Account(name, account);
                }

                CheckReplication();
                CheckLogging();
                CheckTrails();
                CheckAlarms();
            }
        }

        if (_accounts.Count(a => a.Management) != 1)
        {
            Error(root, "accounts", "exactly one account must have 'management: true'");
        }
        else
        {
            // Members are resources of the management account, created through Organizations.
            var owner = _accounts.Single(a => a.Management).Name;
            foreach (var member in _accounts.Where(a => !a.Management && a.Email is not null))
            {
                var fields = new Dictionary<string, string> { ["email"] = member.Email! };
                if (member.OrganizationalUnit is { } unit)
                {
                    fields["organizationalUnit"] = unit;
                }

                _resources.Add(new EstateResource(ResourceKind.Account, owner, member.Name, fields));
            }

            // An OU's parent must be declared too: apply creates the tree top down.
            foreach (var unit in _resources.Where(r => r.Kind == ResourceKind.OrganizationalUnit && r.Name.Contains('/', StringComparison.Ordinal)).ToList())
            {
                var parent = unit.Name[..unit.Name.LastIndexOf('/')];
                if (!_resources.Any(r => r.Kind == ResourceKind.OrganizationalUnit && r.Name == parent))
                {
                    Error(root, $"accounts.{owner}.organizationalUnits.{unit.Name}", $"its parent '{parent}' is not declared");
                }
            }
        }
    }

    private void Account(string name, YamlNode node)
    {
        var at = $"accounts.{name}";
        if (!ValidName().IsMatch(name) || Mapping(node, at) is not { } account)
        {
            if (!ValidName().IsMatch(name))
            {
                Error(node, at, "account names are letters, digits, '-' and '_'");
            }

            return;
        }

        var management = false;
        string? email = null;
        string? unit = null;
        (YamlNode Node, string Path)? memberships = null;
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(account, at, ["management", "email", "organizationalUnit", "organizationalUnits", "alias", "passwordPolicy", "policies", "groups", "users", "roles", "keys", "buckets", "trails", "topics", "alarms", "budgets", "zones", "serviceControlPolicies", "memberships"]))
        {
            var here = $"{at}.{key}";
            switch (key)
            {
                case "management":
                    management = Bool(value, here) ?? false;
                    break;
                case "email":
                    email = Text(value, here);
                    break;
                case "organizationalUnit":
                    unit = Text(value, here) is { } place ? place == "root" ? "root" : $"${{ou.{place}.id}}" : null;
                    break;
                case "organizationalUnits":
                    foreach (var (path, item) in Entries(Mapping(value, here), here, null))
                    {
                        if (!path.Split('/').All(segment => OrganizationalUnitName().IsMatch(segment)))
                        {
                            Error(item, $"{here}.{path}", "an OU path is names of letters, digits, ' ', '_' and '-' joined by '/'");
                        }

                        _ = Entries(Mapping(item, $"{here}.{path}"), $"{here}.{path}", []).ToList();
                        _resources.Add(new EstateResource(ResourceKind.OrganizationalUnit, name, path, new Dictionary<string, string>()));
                    }

                    break;
                case "memberships":
                    if (Text(value, here) is { } membershipsFile)
                    {
                        memberships = (value, Path.GetFullPath(Path.Combine(_baseDirectory, membershipsFile)));
                    }

                    break;
                case "alias":
                    if (Text(value, here) is { } alias)
                    {
                        if (!AccountAlias().IsMatch(alias))
                        {
                            Error(value, here, "an account alias is 3-63 lower-case letters, digits and '-', not starting or ending with '-'");
                        }

                        settings["alias"] = alias;
                    }

                    break;
                case "passwordPolicy":
                    foreach (var (setting, settingValue) in Entries(Mapping(value, here), here, PasswordPolicyKeys))
                    {
                        var field = $"passwordPolicy.{setting}";
                        var parsed = setting.StartsWith("require", StringComparison.Ordinal) || setting is "allowUsersToChangePassword" or "hardExpiry"
                            ? Bool(settingValue, $"{here}.{setting}")?.ToString().ToLowerInvariant()
                            : Int(settingValue, $"{here}.{setting}")?.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (parsed is not null)
                        {
                            settings[field] = parsed;
                        }
                    }

                    break;
                default:
                    foreach (var (itemName, item) in Entries(Mapping(value, here), here, null))
                    {
                        Item(key, name, itemName, item, $"{here}.{itemName}");
                    }

                    break;
            }
        }

        if (memberships is { } source)
        {
            Memberships(name, source.Node, source.Path, $"{at}.memberships");
        }

        if (!management && _resources.Any(r => r.Kind == ResourceKind.ServiceControlPolicy && r.Account == name))
        {
            Error(node, $"{at}.serviceControlPolicies", "service control policies belong to the management account");
        }

        if (!management && _resources.Any(r => r.Kind == ResourceKind.OrganizationalUnit && r.Account == name))
        {
            Error(node, $"{at}.organizationalUnits", "organizational units belong to the management account");
        }

        if (management && unit is not null)
        {
            Error(node, $"{at}.organizationalUnit", "the management account's place in the organization is not managed; give organizationalUnit on member accounts");
        }

        if (!management && email is null)
        {
            Error(node, at, "a member account needs 'email' (CreateAccount requires one)");
        }

        _accounts.Add(new EstateAccount(name, management, email) { OrganizationalUnit = unit });
        if (settings.Count > 0)
        {
            _resources.Add(new EstateResource(ResourceKind.AccountSettings, name, "settings", settings));
        }
    }

    private void Item(string section, string account, string name, YamlNode node, string at)
    {
        var valid = section switch
        {
            "buckets" => BucketName().IsMatch(name),
            "keys" => KeyAlias().IsMatch(name),
            "zones" => ZoneName().IsMatch(name),
            "trails" => TrailName().IsMatch(name),
            "topics" => TopicName().IsMatch(name),
            "alarms" => AlarmName().IsMatch(name),
            "budgets" => BudgetName().IsMatch(name),
            _ => IamName().IsMatch(name),
        };
        if (!valid)
        {
            Error(node, at, $"'{name}' is not a valid name here");
        }

        var map = Mapping(node, at);
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        switch (section)
        {
            case "policies":
                foreach (var (key, value) in Entries(map, at, ["path", "description", "document"]))
                {
                    Field(fields, key, key == "document" ? Document(value, $"{at}.{key}", PolicyUse.Identity) : PathOrText(key, value, $"{at}.{key}"));
                }

                Require(fields, node, at, "document");
                _resources.Add(new EstateResource(ResourceKind.Policy, account, name, fields));
                break;
            case "groups":
                foreach (var (key, value) in Entries(map, at, ["path", "policies", "inlinePolicies"]))
                {
                    if (key == "inlinePolicies")
                    {
                        InlinePolicies(ResourceKind.GroupPolicy, account, name, value, $"{at}.{key}");
                    }
                    else
                    {
                        Field(fields, key, key == "policies" ? PolicyList(account, value, $"{at}.{key}") : PathOrText(key, value, $"{at}.{key}"));
                    }
                }

                _resources.Add(new EstateResource(ResourceKind.Group, account, name, fields));
                break;
            case "users":
                foreach (var (key, value) in Entries(map, at, ["path", "tags", "groups", "console", "accessKey", "mfaRequired"]))
                {
                    Field(fields, key, key switch
                    {
                        "console" or "accessKey" or "mfaRequired" => Bool(value, $"{at}.{key}")?.ToString().ToLowerInvariant(),
                        "tags" => Tags(value, $"{at}.{key}"),
                        "groups" => Strings(value, $"{at}.{key}") is { } groups ? CanonicalJson.StringList(groups) : null,
                        _ => PathOrText(key, value, $"{at}.{key}"),
                    });
                }

                _resources.Add(new EstateResource(ResourceKind.User, account, name, fields));
                break;
            case "roles":
                foreach (var (key, value) in Entries(map, at, ["path", "description", "trustPolicy", "maxSessionDuration", "permissionsBoundary", "tags", "policies", "inlinePolicies"]))
                {
                    var here = $"{at}.{key}";
                    if (key == "inlinePolicies")
                    {
                        InlinePolicies(ResourceKind.RolePolicy, account, name, value, here);
                        continue;
                    }

                    Field(fields, key, key switch
                    {
                        "trustPolicy" => Document(value, here, PolicyUse.Trust),
                        "policies" => PolicyList(account, value, here),
                        "maxSessionDuration" => Int(value, here) is { } seconds
                            ? seconds is >= 3600 and <= 43200 ? seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) : ErrorValue(value, here, "must be between 3600 and 43200 seconds")
                            : null,
                        "permissionsBoundary" => PolicyReference(account, value, here),
                        "tags" => Tags(value, here),
                        _ => PathOrText(key, value, here),
                    });
                }

                Require(fields, node, at, "trustPolicy");
                _resources.Add(new EstateResource(ResourceKind.Role, account, name, fields));
                break;
            case "keys":
                foreach (var (key, value) in Entries(map, at, ["description", "policy"]))
                {
                    Field(fields, key, key == "policy" ? Document(value, $"{at}.{key}", PolicyUse.Resource) : Text(value, $"{at}.{key}"));
                }

                _resources.Add(new EstateResource(ResourceKind.Key, account, name, fields));
                break;
            case "serviceControlPolicies":
                foreach (var (key, value) in Entries(map, at, ["description", "document", "targets"]))
                {
                    Field(fields, key, key switch
                    {
                        "document" => Document(value, $"{at}.{key}", PolicyUse.ServiceControl),
                        // Account names become references, so apply attaches once the account exists.
                        "targets" => Strings(value, $"{at}.{key}") is { } targets
                            ? CanonicalJson.StringList(targets.Select(t => t == "root" ? t : t.StartsWith("ou:", StringComparison.Ordinal) ? $"${{ou.{t[3..]}.id}}" : $"${{account.{t}.id}}"))
                            : null,
                        _ => Text(value, $"{at}.{key}"),
                    });
                }

                Require(fields, node, at, "document");
                _resources.Add(new EstateResource(ResourceKind.ServiceControlPolicy, account, name, fields));
                break;
            case "buckets":
                foreach (var (key, value) in Entries(map, at, BucketKeys))
                {
                    var here = $"{at}.{key}";
                    Field(fields, key, key switch
                    {
                        "policy" => Document(value, here, PolicyUse.Resource),
                        "tags" => Tags(value, here),
                        "publicAccessBlock" => PublicAccessBlock(value, here),
                        "cors" => Cors(value, here),
                        "versioning" => Versioning(value, here),
                        "mfaDelete" => Bool(value, here)?.ToString().ToLowerInvariant(),
                        "lifecycle" => Lifecycle(value, here),
                        "encryption" => Encryption(value, here),
                        "replication" => Replication(account, name, value, here),
                        "logging" => Logging(account, name, value, here),
                        _ => Text(value, here),
                    });
                }

                BucketCombinations(fields, node, at);
                _resources.Add(new EstateResource(ResourceKind.Bucket, account, name, fields));
                break;
            case "trails":
                Trail(account, name, map, node, at);
                break;
            case "topics":
                Topic(account, name, map, node, at);
                break;
            case "alarms":
                Alarm(account, name, map, node, at);
                break;
            case "budgets":
                Budget(account, name, map, node, at);
                break;
            case "zones":
                Zone(account, name.TrimEnd('.').ToLowerInvariant(), map, at);
                break;
        }
    }
    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ValidName();

    [GeneratedRegex("^[A-Za-z0-9 _-]{1,128}$")]
    private static partial Regex OrganizationalUnitName();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$")]
    private static partial Regex AccountAlias();

    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$")]
    private static partial Regex IamName();

    [GeneratedRegex("^/(?:[\u0021-\u007E]*/)?$")]
    private static partial Regex IamPath();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex(@"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{1,63}\.?$")]
    private static partial Regex ZoneName();

    [GeneratedRegex("^[a-zA-Z0-9/_-]{1,250}(?:@[a-z]{2}(?:-[a-z]+)+-[0-9])?$")]
    private static partial Regex KeyAlias();
}
