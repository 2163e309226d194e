using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>Group memberships from a separate file, plain or SOPS-encrypted (decrypted by the caller).</summary>
internal sealed partial class EstateParser
{
    /// <summary>
    /// The full paths of the membership files an estate file names, so the caller can decrypt the
    /// SOPS-encrypted ones (which needs KMS) before parsing.
    /// </summary>
    public static IReadOnlyList<string> MembershipFiles(string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (Exception e) when (e is YamlException or IOException)
        {
            return [];
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("accounts"), out var accounts) && accounts is YamlMappingNode map
            ? [.. map.Children.Values.OfType<YamlMappingNode>()
                .Select(a => a.Children.TryGetValue(new YamlScalarNode("memberships"), out var file) ? (file as YamlScalarNode)?.Value : null)
                .OfType<string>()
                .Select(f => Path.GetFullPath(Path.Combine(directory, f)))]
            : [];
    }



    /// <summary>
    /// A separate file of group memberships (group: [users]), plain or SOPS-encrypted (decrypted by
    /// the caller), merged into the users' groups.
    /// </summary>
    private void Memberships(string account, YamlNode node, string path, string at)
    {
        string text;
        if (_decrypted.TryGetValue(path, out var plain))
        {
            text = plain;
        }
        else if (File.Exists(path))
        {
            text = File.ReadAllText(path);
        }
        else
        {
            Error(node, at, $"{path} does not exist");
            return;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            Error(node, at, $"{path}: line {e.Start.Line}: {e.Message}");
            return;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode groups)
        {
            Error(node, at, $"{path} must map group names to lists of users");
            return;
        }

        if (groups.Children.ContainsKey(new YamlScalarNode("sops")))
        {
            Error(node, at, $"{path} is SOPS-encrypted and could not be decrypted");
            return;
        }

        foreach (var (groupNode, usersNode) in groups.Children)
        {
            var group = (groupNode as YamlScalarNode)?.Value ?? "";
            foreach (var user in Strings(usersNode, $"{at}({path}).{group}") ?? [])
            {
                var index = _resources.FindIndex(r => r.Kind == ResourceKind.User && r.Account == account && r.Name == user);
                if (index < 0)
                {
                    Error(usersNode, $"{at}({path}).{group}", $"user '{user}' is not declared in account '{account}'");
                    continue;
                }

                var resource = _resources[index];
                var fields = new SortedDictionary<string, string>(resource.Fields.ToDictionary(), StringComparer.Ordinal);
                var current = fields.TryGetValue("groups", out var list) ? System.Text.Json.JsonSerializer.Deserialize<string[]>(list)! : [];
                fields["groups"] = CanonicalJson.StringList(current.Append(group).Distinct());
                _resources[index] = resource with { Fields = fields };
            }
        }
    }
}
