using System.Globalization;
using System.Text;

namespace Cloudkeep.Secrets.Stores;

/// <summary>
/// dotenv files: KEY=value lines and #comments; values are strings, newlines written as \n. The
/// sops block is flattened into sops_-prefixed keys with __map_ and __list_ separators
/// (stores/flatten.go), sorted.
/// </summary>
internal sealed class DotenvStore : ISopsStore
{
    private const string Prefix = "sops_";
    private const string MapSeparator = "__map_";
    private const string ListSeparator = "__list_";

    public List<SopsMap> LoadPlain(byte[] content)
    {
        var map = new SopsMap();
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                map.Add(new SopsItem(new SopsComment(line[1..]), null));
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new SopsException(SopsExitCodes.ErrorGeneric, "invalid dotenv input line (no '=')") { NotInFormat = true };
            }

            map.Add(new SopsItem(line[..eq], line[(eq + 1)..].Replace("\\n", "\n", StringComparison.Ordinal)));
        }

        return [map];
    }

    public byte[] EmitPlain(List<SopsMap> documents)
    {
        var builder = new StringBuilder();
        foreach (var item in documents.FirstOrDefault() ?? [])
        {
            if (item.Key is SopsComment comment)
            {
                builder.Append('#').Append(comment.Value).Append('\n');
                continue;
            }

            var text = item.Value switch
            {
                SopsMap or List<object?> => throw new SopsException(SopsExitCodes.ErrorGeneric, "cannot use complex value in dotenv file"),
                string s => s,
                byte[] raw => Encoding.UTF8.GetString(raw),
                null => "",
                var other => YamlScalars.Format(other),
            };
            builder.Append((string)item.Key).Append('=').Append(text.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public (List<SopsMap> Documents, SopsMetadata Metadata) LoadEncrypted(byte[] content)
    {
        var all = LoadPlain(content)[0];
        var data = new SopsMap();
        var flat = new List<KeyValuePair<string, string>>();
        foreach (var item in all)
        {
            if (item.Key is string key && key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                flat.Add(new(key[Prefix.Length..], item.Value as string ?? ""));
            }
            else
            {
                data.Add(item);
            }
        }

        if (flat.Count == 0)
        {
            throw new SopsException(SopsExitCodes.ErrorGeneric, "sops metadata not found");
        }

        return ([data], SopsMetadataCodec.Read(Unflatten(flat)));
    }

    public byte[] EmitEncrypted(List<SopsMap> documents, SopsMetadata metadata)
    {
        var flat = new List<KeyValuePair<string, string>>();
        Flatten(SopsMetadataCodec.Write(metadata), "", flat, top: true);
        var map = new SopsMap();
        map.AddRange(documents[0]);
        map.AddRange(flat.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new SopsItem(Prefix + p.Key, p.Value)));
        return EmitPlain([map]);
    }

    public bool HasSopsMetadata(List<SopsMap> documents) => documents.Any(d => d.Any(i => i.Key is string k && k.StartsWith(Prefix, StringComparison.Ordinal)));

    private static void Flatten(object? value, string prefix, List<KeyValuePair<string, string>> into, bool top = false)
    {
        switch (value)
        {
            case SopsMap map:
                foreach (var item in map.Where(i => i.Key is string))
                {
                    Flatten(item.Value, top ? (string)item.Key : prefix + MapSeparator + (string)item.Key, into);
                }

                break;
            case List<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    Flatten(list[i], prefix + ListSeparator + i.ToString(CultureInfo.InvariantCulture), into);
                }

                break;
            case null:
                break;
            case bool b:
                into.Add(new(prefix, b ? "true" : "false"));
                break;
            default:
                into.Add(new(prefix, YamlScalars.Format(value).Trim('"')));
                break;
        }
    }

    /// <summary>Rebuilds the sops block from flattened keys (stores/flatten.go tokenize + unflatten).</summary>
    private static SopsMap Unflatten(List<KeyValuePair<string, string>> flat)
    {
        var root = new SopsMap();
        foreach (var (key, value) in flat)
        {
            var tokens = Tokenize(key);
            object container = root;
            for (var i = 0; i < tokens.Count; i++)
            {
                var last = i == tokens.Count - 1;
                object? Next() => last ? value : tokens[i + 1] is int ? new List<object?>() : new SopsMap();
                if (container is SopsMap map && tokens[i] is string name)
                {
                    if (!map.Contains(name))
                    {
                        map[name] = Next();
                    }
                    else if (last)
                    {
                        map[name] = value;
                    }

                    container = map[name]!;
                }
                else if (container is List<object?> list && tokens[i] is int index)
                {
                    while (list.Count <= index)
                    {
                        list.Add(null);
                    }

                    list[index] ??= Next();
                    container = list[index]!;
                }
                else
                {
                    throw new SopsException(SopsExitCodes.ErrorGeneric, $"malformed flattened sops metadata key sops_{key}");
                }
            }
        }

        return root;
    }

    private static List<object> Tokenize(string path)
    {
        var tokens = new List<object>();
        var start = 0;
        var kind = 0; // 0 plain, 1 map, 2 list
        void Finish(int end)
        {
            tokens.Add(kind switch
            {
                1 => path[(start + MapSeparator.Length)..end],
                2 => int.Parse(path[(start + ListSeparator.Length)..end], CultureInfo.InvariantCulture),
                _ => path[start..end],
            });
            start = end;
        }

        var i = 0;
        while (i < path.Length)
        {
            if (string.CompareOrdinal(path, i, MapSeparator, 0, MapSeparator.Length) == 0)
            {
                Finish(i);
                kind = 1;
                i += MapSeparator.Length;
            }
            else if (string.CompareOrdinal(path, i, ListSeparator, 0, ListSeparator.Length) == 0)
            {
                Finish(i);
                kind = 2;
                i += ListSeparator.Length;
            }
            else
            {
                i++;
            }
        }

        Finish(path.Length);
        return tokens;
    }
}
