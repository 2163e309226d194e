using System.Collections;

namespace Cloudkeep.Auth;

/// <summary>
/// A snapshot of the environment the resolution reads, so tests can hand in their own and the
/// child's environment is built from the same values the profile was resolved with.
/// </summary>
public sealed class EnvironmentVariables(IReadOnlyDictionary<string, string> values)
{
    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public static EnvironmentVariables FromProcess()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            values[(string)entry.Key] = entry.Value as string ?? "";
        }

        return new EnvironmentVariables(values);
    }

    /// <summary>A variable's value, or null when it is unset or empty (the AWS CLI treats both alike).</summary>
    public string? this[string name] => Values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string Home => this["HOME"] ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>Expands a leading `~` as the AWS CLI does for AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.</summary>
    public string ExpandHome(string path) =>
        path == "~" ? Home : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home, path[2..]) : path;
}
