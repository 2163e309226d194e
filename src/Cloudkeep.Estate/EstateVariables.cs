using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// The file's variables (<c>variables:</c>, overridden by <c>--var NAME=VALUE</c>) and their
/// <c>${var.NAME}</c> references. A value that is a whole reference takes the variable's value as it
/// is, list or mapping included (an IP condition gets the list of office ranges); a reference inside
/// a longer string takes a scalar variable's text.
/// </summary>
internal sealed partial class EstateVariables
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
    private readonly Action<YamlNode, string, string> _error;

    public EstateVariables(YamlMappingNode? declared, IReadOnlyDictionary<string, string> overrides, Action<YamlNode, string, string> error)
    {
        _error = error;
        foreach (var (key, value) in declared?.Children ?? new YamlMappingNode().Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!Name().IsMatch(name))
            {
                error(key, $"variables.{name}", "variable names are letters, digits and '_'");
                continue;
            }

            _values[name] = value;
        }

        foreach (var (name, text) in overrides)
        {
            if (!_values.ContainsKey(name))
            {
                var known = _values.Keys.Order(StringComparer.Ordinal).ToList();
                var hint = Suggestions.Closest(name, known) is { } close ? $"did you mean '{close}'? " : "";
                error((YamlNode?)declared ?? new YamlScalarNode(""), $"--var {name}", $"the file declares no such variable; {hint}declared: {(known.Count == 0 ? "none" : string.Join(", ", known))}");
                continue;
            }

            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                _values[name] = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : new YamlScalarNode("");
            }
            catch (YamlException e)
            {
                error((YamlNode?)declared ?? new YamlScalarNode(""), $"--var {name}", $"the value is not valid YAML: {e.Message}");
            }
        }
    }

    /// <summary>The node with its references replaced (scalars in place, whole references by the variable's node).</summary>
    public YamlNode Substitute(YamlNode node, string at)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var key in map.Children.Keys.ToList())
                {
                    map.Children[key] = Substitute(map.Children[key], $"{at}.{(key as YamlScalarNode)?.Value}");
                }

                return map;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    sequence.Children[i] = Substitute(sequence.Children[i], $"{at}[{i}]");
                }

                return sequence;
            case YamlScalarNode { Value: { } text } scalar when text.Contains("${var.", StringComparison.Ordinal):
                if (Whole().Match(text) is { Success: true } whole)
                {
                    return Value(whole.Groups[1].Value, scalar, at) ?? scalar;
                }

                scalar.Value = Reference().Replace(text, m => (Value(m.Groups[1].Value, scalar, at) as YamlScalarNode)?.Value ?? ScalarOnly(scalar, at, m.Groups[1].Value));
                return scalar;
            default:
                return node;
        }
    }

    /// <summary>The same substitution in a document read from a JSON file.</summary>
    public JsonNode? Substitute(JsonNode? node, YamlNode origin, string at) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Substitute(p.Value, origin, at)))),
        JsonArray array => new JsonArray([.. array.Select(n => Substitute(n, origin, at))]),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Contains("${var.", StringComparison.Ordinal) =>
            Whole().Match(text) is { Success: true } whole
                ? Value(whole.Groups[1].Value, origin, at) is { } found ? CanonicalJson.FromYaml(found) : value.DeepClone()
                : JsonValue.Create(Reference().Replace(text, m => (Value(m.Groups[1].Value, origin, at) as YamlScalarNode)?.Value ?? ScalarOnly(origin, at, m.Groups[1].Value))),
        _ => node?.DeepClone(),
    };

    private YamlNode? Value(string name, YamlNode origin, string at)
    {
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }

        var hint = Suggestions.Closest(name, _values.Keys) is { } close ? $"; did you mean '{close}'?" : "";
        _error(origin, at, $"${{var.{name}}}: no variable '{name}' is declared under 'variables'{hint}");
        return null;
    }

    private string ScalarOnly(YamlNode origin, string at, string name)
    {
        if (_values.TryGetValue(name, out _))
        {
            _error(origin, at, $"${{var.{name}}} is a list or mapping: it can only stand alone as a whole value");
        }

        return "";
    }

    [GeneratedRegex(@"^\$\{var\.([A-Za-z0-9_]+)\}$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"\$\{var\.([A-Za-z0-9_]+)\}")]
    private static partial Regex Reference();

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex Name();
}
