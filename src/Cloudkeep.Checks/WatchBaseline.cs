using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Checks;

/// <summary>What one account is held to: its password policy, and which of its buckets the estate says replicate.</summary>
public sealed record AccountBaseline(string Source, PasswordPolicyFact PasswordPolicy, IReadOnlySet<string> ReplicatedBuckets)
{
    /// <summary>Without an estate file: a 12-character policy with upper- and lowercase letters and numbers (the seed's), and no bucket required to replicate.</summary>
    public static readonly AccountBaseline Default = new("the default baseline", new PasswordPolicyFact(12, true, true, true, false), new HashSet<string>(StringComparer.Ordinal));
}

/// <summary>
/// The estate file read as a baseline: each account's passwordPolicy and the buckets that declare
/// replication. Only those fields are read (the file is `cloudkeep apply`'s; a file apply accepts
/// is read here), so the watch needs no variables, secrets or policy files of the estate.
/// </summary>
public sealed class WatchBaseline
{
    private readonly Dictionary<string, AccountBaseline> _accounts = new(StringComparer.Ordinal);
    private string? _management;

    public static WatchBaseline None { get; } = new();

    public static WatchBaseline Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, Path.GetFileName(path));
    }

    public static WatchBaseline Parse(TextReader text, string name)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new WatchException($"{name}: not YAML: {e.Message}");
        }

        var baseline = new WatchBaseline();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || Child(root, "accounts") is not YamlMappingNode accounts)
        {
            throw new WatchException($"{name}: no accounts: section");
        }

        foreach (var (key, value) in accounts.Children)
        {
            var account = ((YamlScalarNode)key).Value ?? "";
            if (value is not YamlMappingNode fields)
            {
                continue;
            }

            if (Child(fields, "management") is YamlScalarNode { Value: "true" })
            {
                baseline._management = account;
            }

            var source = $"{name} (account {account})";
            var policy = Child(fields, "passwordPolicy") is YamlMappingNode p ? PasswordPolicy(p) : AccountBaseline.Default.PasswordPolicy;
            var replicated = new HashSet<string>(StringComparer.Ordinal);
            if (Child(fields, "buckets") is YamlMappingNode buckets)
            {
                foreach (var (bucketName, bucket) in buckets.Children)
                {
                    if (bucket is YamlMappingNode b && Child(b, "replication") is not null)
                    {
                        replicated.Add(((YamlScalarNode)bucketName).Value ?? "");
                    }
                }
            }

            baseline._accounts[account] = new AccountBaseline(source, policy, replicated);
        }

        return baseline;
    }

    /// <summary>The baseline of an account by its name in the organization (the estate's account key), the management account's when it is that one.</summary>
    public AccountBaseline For(string? accountName, bool isManagement)
    {
        if (accountName is not null && _accounts.TryGetValue(accountName, out var named))
        {
            return named;
        }

        return isManagement && _management is not null ? _accounts[_management] : AccountBaseline.Default;
    }

    private static PasswordPolicyFact PasswordPolicy(YamlMappingNode policy)
    {
        bool Flag(string key) => Child(policy, key) is YamlScalarNode { Value: "true" };
        int? Number(string key) => Child(policy, key) is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new PasswordPolicyFact(Number("minimumPasswordLength") ?? 8, Flag("requireUppercaseCharacters"), Flag("requireLowercaseCharacters"),
            Flag("requireNumbers"), Flag("requireSymbols"), Number("maxPasswordAge"), Number("passwordReusePrevention"));
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}

/// <summary>A problem that stops the watch (exit code 2): unreadable input, no credentials, an API that refused.</summary>
public sealed class WatchException(string message) : Exception(message);
