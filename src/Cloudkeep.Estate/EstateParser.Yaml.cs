using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>Reading YAML nodes as the format expects them, with every problem recorded against its line.</summary>
internal sealed partial class EstateParser
{
    private string? PathOrText(string key, YamlNode node, string at)
    {
        var text = Text(node, at);
        if (key == "path" && text is not null && !IamPath().IsMatch(text))
        {
            return ErrorValue(node, at, "an IAM path starts and ends with '/'");
        }

        return text;
    }

    private static void Field(SortedDictionary<string, string> fields, string key, string? value)
    {
        if (value is not null)
        {
            fields[key] = value;
        }
    }

    private void Require(SortedDictionary<string, string> fields, YamlNode node, string at, string key)
    {
        if (!fields.ContainsKey(key) && !_errors.Any(e => e.Contains($"{at}.{key}", StringComparison.Ordinal)))
        {
            Error(node, at, $"'{key}' is required");
        }
    }

    /// <summary>A mapping's entries with string keys; unknown keys are reported when <paramref name="known"/> is given.</summary>
    private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode? map, string at, string[]? known)
    {
        if (map is null)
        {
            yield break;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (known is not null && !known.Contains(key))
            {
                var hint = Suggestions.Closest(key, known) is { } close ? $"did you mean '{close}'? " : "";
                Error(keyNode, Join(at, key), $"unknown key; {hint}expected one of: {string.Join(", ", known)}");
                continue;
            }

            yield return (key, value);
        }
    }

    private YamlMappingNode? Mapping(YamlNode node, string at)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        if (node is YamlScalarNode { Value: null or "" or "~" or "null", Style: ScalarStyle.Plain })
        {
            return new YamlMappingNode();
        }

        Error(node, at, "must be a mapping");
        return null;
    }

    private string? Text(YamlNode node, string at)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        return ErrorValue(node, at, "must be a string");
    }

    private List<string>? Strings(YamlNode node, string at)
    {
        if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode))
        {
            return [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "")];
        }

        ErrorValue(node, at, "must be a list of strings");
        return null;
    }

    private bool? Bool(YamlNode node, string at) => (node as YamlScalarNode)?.Value switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => ErrorValue(node, at, "must be true or false") is null ? null : null,
    };

    private long? Int(YamlNode node, string at) =>
        node is YamlScalarNode { Value: { } text } && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : ErrorValue(node, at, "must be a whole number") is null ? null : null;

    private string? ErrorValue(YamlNode node, string at, string message)
    {
        Error(node, at, message);
        return null;
    }

    private void Error(YamlNode node, string at, string message) => _errors.Add($"line {node.Start.Line}: {at}: {message}");

    private static string Join(string at, string key) => at.Length == 0 ? key : $"{at}.{key}";
}
