using System.Text.Json;

namespace Cloudkeep.Services.Alerts;

/// <summary>
/// Operators' rules, from a JSON file: {"rules": [{"name", "severity" (Low, Medium, High,
/// Critical; default Medium), "title", "description", "pattern": an EventBridge pattern}]}.
/// Every problem of the file is reported together, each with the rule it belongs to.
/// </summary>
public static class AlertRuleFile
{
    public static IReadOnlyList<AlertRule> Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static IReadOnlyList<AlertRule> Parse(string json, string name)
    {
        var problems = new List<string>();
        var rules = new List<AlertRule>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new AlertRuleFileException(name, [$"not JSON: {e.Message}"]);
        }

        using (document)
        {
            if (AlertDocuments.Property(document.RootElement, "rules") is not { ValueKind: JsonValueKind.Array } list)
            {
                throw new AlertRuleFileException(name, ["the file is an object with a \"rules\" array"]);
            }

            var names = new HashSet<string>(BuiltInAlertRules.All.Select(r => r.Name), StringComparer.Ordinal);
            var index = 0;
            foreach (var rule in list.EnumerateArray())
            {
                var at = $"rules[{index++}]";
                var ruleName = AlertDocuments.Text(rule, "name");
                if (string.IsNullOrWhiteSpace(ruleName))
                {
                    problems.Add($"{at}: a rule needs a name");
                    ruleName = at;
                }
                else if (!names.Add(ruleName))
                {
                    problems.Add($"{at} ({ruleName}): the name is taken (built-in rules' names included)");
                }

                var severity = AlertSeverity.Medium;
                if (AlertDocuments.Text(rule, "severity") is { } text && !Enum.TryParse(text, ignoreCase: true, out severity))
                {
                    problems.Add($"{at} ({ruleName}): severity is Low, Medium, High or Critical, not \"{text}\"");
                }

                if (AlertDocuments.Property(rule, "pattern") is not { ValueKind: JsonValueKind.Object } pattern)
                {
                    problems.Add($"{at} ({ruleName}): a rule needs a pattern (an object)");
                    continue;
                }

                if (!EventPattern.TryParse(pattern.GetRawText(), out var compiled, out var patternProblems))
                {
                    problems.AddRange(patternProblems.Select(p => $"{at} ({ruleName}): pattern: {p}"));
                    continue;
                }

                rules.Add(new AlertRule(ruleName, severity, AlertDocuments.Text(rule, "title") ?? ruleName, AlertDocuments.Text(rule, "description") ?? "", compiled));
            }
        }

        return problems.Count > 0 ? throw new AlertRuleFileException(name, problems) : rules;
    }
}

public sealed class AlertRuleFileException(string file, IReadOnlyList<string> problems) : Exception($"{file}: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
