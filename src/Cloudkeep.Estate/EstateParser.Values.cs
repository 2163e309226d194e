using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>Field values: policy documents (in place, JSON or a file, checked against the policy grammar), policy lists, tags, the public access block and CORS rules.</summary>
internal sealed partial class EstateParser
{
    private static readonly string[] PublicAccessBlockKeys = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"];

    private void InlinePolicies(ResourceKind kind, string account, string owner, YamlNode node, string at)
    {
        foreach (var (name, value) in Entries(Mapping(node, at), at, null))
        {
            if (!IamName().IsMatch(name))
            {
                Error(value, $"{at}.{name}", $"'{name}' is not a valid policy name");
            }

            if (Document(value, $"{at}.{name}", PolicyUse.Identity) is { } document)
            {
                _resources.Add(new EstateResource(kind, account, $"{owner}/{name}", new Dictionary<string, string> { ["document"] = document }));
            }
        }
    }

    /// <summary>A policy document in place (YAML mapping or JSON text) or the path of a JSON or YAML file.</summary>
    private string? Document(YamlNode node, string at, PolicyUse use)
    {
        if (Json(node, at) is not { } json)
        {
            return null;
        }

        foreach (var problem in PolicyGrammar.Problems(json, use))
        {
            Error(node, at, $"malformed policy: {problem}");
        }

        return json;
    }

    /// <summary>A document's canonical JSON, from YAML or JSON in place or from a file.</summary>
    private string? Json(YamlNode node, string at)
    {
        if (node is YamlMappingNode map)
        {
            return CanonicalJson.Of(CanonicalJson.FromYaml(map));
        }

        if (Text(node, at) is not { } text)
        {
            return null;
        }

        if (text.TrimStart().StartsWith('{'))
        {
            return CanonicalJson.TryParse(text, out var canonical) ? canonical : ErrorValue(node, at, "is not valid JSON");
        }

        var path = Path.Combine(_baseDirectory, text);
        if (!File.Exists(path))
        {
            return ErrorValue(node, at, $"is neither a document nor an existing file ({path})");
        }

        var content = File.ReadAllText(path);
        if (CanonicalJson.TryParse(content, out var fromJson))
        {
            return CanonicalJson.Of(_variables!.Substitute(System.Text.Json.Nodes.JsonNode.Parse(fromJson), node, $"{at}({text})"));
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(content));
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode fileMap)
            {
                return CanonicalJson.Of(CanonicalJson.FromYaml(_variables!.Substitute(fileMap, $"{at}({text})")));
            }
        }
        catch (YamlException)
        {
            // Reported below with the file's name.
        }

        return ErrorValue(node, at, $"{path} holds neither a JSON nor a YAML policy document");
    }

    /// <summary>Managed policies by ARN, reference, or the name of a policy this account declares.</summary>
    private string? PolicyList(string account, YamlNode node, string at) =>
        Strings(node, at) is { } names ? CanonicalJson.StringList(names.Select(n => PolicyArn(account, n))) : null;

    private string? PolicyReference(string account, YamlNode node, string at) => Text(node, at) is { } name ? PolicyArn(account, name) : null;

    private static string PolicyArn(string account, string name) =>
        name.StartsWith("arn:", StringComparison.Ordinal) || name.Contains("${", StringComparison.Ordinal) ? name : $"${{policy.{account}.{name}.arn}}";

    private string? Tags(YamlNode node, string at)
    {
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in Entries(Mapping(node, at), at, null))
        {
            if (Text(value, $"{at}.{key}") is { } text)
            {
                tags.Add(KeyValuePair.Create(key, text));
            }
        }

        return CanonicalJson.StringMap(tags);
    }

    private string? PublicAccessBlock(YamlNode node, string at)
    {
        var map = Mapping(node, at);
        var values = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in Entries(map, at, PublicAccessBlockKeys))
        {
            values.Add(KeyValuePair.Create(key, (Bool(value, $"{at}.{key}") ?? false) ? "true" : "false"));
        }

        // Settings left out are false, as S3 stores them.
        foreach (var key in PublicAccessBlockKeys.Where(k => values.All(v => v.Key != k)))
        {
            values.Add(KeyValuePair.Create(key, "false"));
        }

        return map is null ? null : CanonicalJson.StringMap(values);
    }

    private string? Cors(YamlNode node, string at)
    {
        if (node is not YamlSequenceNode rules)
        {
            return ErrorValue(node, at, "must be a list of CORS rules");
        }

        var ok = true;
        for (var i = 0; i < rules.Children.Count; i++)
        {
            var here = $"{at}[{i}]";
            var rule = Mapping(rules.Children[i], here);
            var seen = new HashSet<string>();
            foreach (var (key, value) in Entries(rule, here, ["id", "allowedOrigins", "allowedMethods", "allowedHeaders", "exposeHeaders", "maxAgeSeconds"]))
            {
                seen.Add(key);
                ok &= key switch
                {
                    "id" => Text(value, $"{here}.{key}") is not null,
                    "maxAgeSeconds" => Int(value, $"{here}.{key}") is not null,
                    _ => Strings(value, $"{here}.{key}") is not null,
                };
            }

            if (rule is not null && (!seen.Contains("allowedOrigins") || !seen.Contains("allowedMethods")))
            {
                Error(rules.Children[i], here, "a CORS rule needs allowedOrigins and allowedMethods");
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        // Stored as written apart from scalars: lists and numbers are what S3 returns too.
        return CanonicalJson.Of(CanonicalJson.FromYaml(rules));
    }
}
