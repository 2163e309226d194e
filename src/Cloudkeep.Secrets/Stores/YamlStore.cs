using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Cloudkeep.Secrets.Stores;

/// <summary>
/// YAML documents, read event by event with YamlDotNet so that comments stay in the tree (sops
/// encrypts them), and written by hand in go-yaml v3's layout (4-space indents, indented
/// sequences), because a comment must come out as exactly "#" + its text for sops to read back
/// an encrypted one. Anchors and aliases are expanded; tags other than the core ones are dropped.
/// </summary>
internal sealed class YamlStore : ISopsStore
{
    public List<SopsMap> LoadPlain(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        var parser = new Parser(new Scanner(new StringReader(text), skipComments: false));
        var reader = new EventReader(parser, text);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            throw new SopsException(SopsExitCodes.ErrorGeneric, $"the file is not valid YAML: {e.Message}", e) { NotInFormat = true };
        }
    }

    public byte[] EmitPlain(List<SopsMap> documents)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < documents.Count; i++)
        {
            if (i > 0)
            {
                builder.Append("---\n");
            }

            WriteMap(builder, documents[i], 0, firstInline: false);
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void WriteMap(StringBuilder builder, SopsMap map, int indent, bool firstInline)
    {
        for (var i = 0; i < map.Count; i++)
        {
            var pad = i == 0 && firstInline ? "" : new string(' ', indent);
            var item = map[i];
            if (item.Key is SopsComment comment)
            {
                builder.Append(pad).Append('#').Append(comment.Value).Append('\n');
                continue;
            }

            builder.Append(pad).Append(YamlScalars.String((string)item.Key)).Append(':');
            WriteAfterIndicator(builder, item.Value, indent + 4, indent + 4);
        }
    }

    private static void WriteList(StringBuilder builder, List<object?> list, int indent, bool firstInline = false)
    {
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i];
            var pad = i == 0 && firstInline ? "" : new string(' ', indent);
            if (item is SopsComment comment)
            {
                builder.Append(pad).Append('#').Append(comment.Value).Append('\n');
                continue;
            }

            builder.Append(pad).Append('-');
            switch (item)
            {
                case SopsMap { Count: > 0 } map:
                    builder.Append(' ');
                    WriteMap(builder, map, indent + 2, firstInline: true);
                    break;
                case List<object?> { Count: > 0 } inner when inner[0] is not SopsComment:
                    builder.Append(' ');
                    WriteList(builder, inner, indent + 2, firstInline: true);
                    break;
                default:
                    WriteAfterIndicator(builder, item, indent + 4, indent + 2);
                    break;
            }
        }
    }

    /// <summary>Writes what follows "key:" or "-": a nested block on the next lines, or a scalar on this one.</summary>
    private static void WriteAfterIndicator(StringBuilder builder, object? value, int blockIndent, int scalarIndent)
    {
        switch (value)
        {
            case SopsMap { Count: 0 }:
                builder.Append(" {}\n");
                break;
            case SopsMap map:
                builder.Append('\n');
                WriteMap(builder, map, blockIndent, firstInline: false);
                break;
            case List<object?> { Count: 0 }:
                builder.Append(" []\n");
                break;
            case List<object?> list:
                builder.Append('\n');
                WriteList(builder, list, blockIndent);
                break;
            case string s when LiteralBlock(s) is { } header:
                builder.Append(' ').Append(header).Append('\n');
                var pad = new string(' ', scalarIndent);
                foreach (var line in s.TrimEnd('\n').Split('\n'))
                {
                    builder.Append(line.Length == 0 ? "" : pad).Append(line).Append('\n');
                }

                break;
            default:
                builder.Append(' ').Append(YamlScalars.Format(value)).Append('\n');
                break;
        }
    }

    /// <summary>Multi-line strings are written as literal blocks, like the PGP messages in sops files, when that reads back exactly.</summary>
    private static string? LiteralBlock(string s)
    {
        if (!s.Contains('\n', StringComparison.Ordinal) || s.StartsWith(' ') || s.StartsWith('\n') || s.Any(c => c < ' ' && c != '\n' && c != '\t') || s.Contains('\r', StringComparison.Ordinal))
        {
            return null;
        }

        if (s.EndsWith("\n\n", StringComparison.Ordinal))
        {
            return null;
        }

        return s.EndsWith('\n') ? "|" : "|-";
    }

    /// <summary>Turns the parser's events into trees; comments become <see cref="SopsComment"/> entries where they stand.</summary>
    private sealed class EventReader(IParser parser, string text)
    {
        private readonly Dictionary<string, object?> _anchors = [];
        private readonly List<SopsComment> _pending = [];

        public List<SopsMap> ReadStream()
        {
            var documents = new List<SopsMap>();
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case Comment comment:
                        _pending.Add(new SopsComment(CommentText(comment)));
                        break;
                    case DocumentStart:
                        var root = ReadNextNode();
                        var document = root switch
                        {
                            SopsMap map => map,
                            null => [],
                            _ => throw new SopsException(SopsExitCodes.ErrorGeneric, "a YAML document must be a mapping at its top level") { NotInFormat = true },
                        };
                        // Comments after the last key of the document belong to it.
                        document.AddRange(_pending.Select(c => new SopsItem(c, null)));
                        _pending.Clear();
                        documents.Add(document);
                        break;
                }
            }

            return documents;
        }

        private object? ReadNextNode()
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case Comment comment:
                        _pending.Add(new SopsComment(CommentText(comment)));
                        break;
                    case DocumentEnd:
                        return null;
                    default:
                        return ReadNode(parser.Current!);
                }
            }

            return null;
        }

        private object? ReadNode(ParsingEvent current)
        {
            switch (current)
            {
                case Scalar scalar:
                    return Remember(scalar.Anchor, ScalarValue(scalar));
                case AnchorAlias alias:
                    return _anchors.TryGetValue(alias.Value.Value, out var target) ? target : throw new SopsException(SopsExitCodes.ErrorGeneric, $"unknown YAML alias *{alias.Value}");
                case MappingStart start:
                {
                    var map = new SopsMap();
                    Remember(start.Anchor, map);
                    TakePending(c => map.Add(new SopsItem(c, null)));
                    while (parser.MoveNext() && parser.Current is not MappingEnd)
                    {
                        if (parser.Current is Comment comment)
                        {
                            map.Add(new SopsItem(new SopsComment(CommentText(comment)), null));
                            continue;
                        }

                        var key = ReadNode(parser.Current!);
                        var value = ReadValue(map);
                        if (key is "<<" && value is SopsMap merged)
                        {
                            foreach (var item in merged.Where(i => i.Key is string k && !map.Contains(k)))
                            {
                                map.Add(new SopsItem(item.Key, item.Value));
                            }

                            continue;
                        }

                        map.Add(new SopsItem(KeyText(key), value));
                    }

                    return map;
                }

                case SequenceStart start:
                {
                    var list = new List<object?>();
                    Remember(start.Anchor, list);
                    TakePending(c => list.Add(c));
                    while (parser.MoveNext() && parser.Current is not SequenceEnd)
                    {
                        if (parser.Current is Comment comment)
                        {
                            list.Add(new SopsComment(CommentText(comment)));
                            continue;
                        }

                        list.Add(ReadNode(parser.Current!));
                    }

                    return list;
                }

                default:
                    throw new SopsException(SopsExitCodes.ErrorGeneric, $"unexpected YAML event {current.GetType().Name}") { NotInFormat = true };
            }
        }

        /// <summary>
        /// Reads a mapping value. Comments between a key and its value open the value when it is a
        /// sequence or mapping (go-yaml makes them the head comment of its first item); before a
        /// scalar they go into the mapping ahead of the key's entry.
        /// </summary>
        private object? ReadValue(SopsMap map)
        {
            var comments = new List<SopsComment>();
            while (parser.MoveNext())
            {
                if (parser.Current is Comment comment)
                {
                    if (!comment.IsInline)
                    {
                        comments.Add(new SopsComment(CommentText(comment)));
                    }

                    continue;
                }

                if (parser.Current is MappingStart or SequenceStart)
                {
                    _pending.AddRange(comments);
                }
                else
                {
                    map.AddRange(comments.Select(c => new SopsItem(c, null)));
                }

                return ReadNode(parser.Current!);
            }

            throw new SopsException(SopsExitCodes.ErrorGeneric, "unexpected end of YAML input") { NotInFormat = true };
        }

        private void TakePending(Action<SopsComment> add)
        {
            foreach (var comment in _pending)
            {
                add(comment);
            }

            _pending.Clear();
        }

        private object? Remember(YamlDotNet.Core.AnchorName anchor, object? value)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = value;
            }

            return value;
        }

        private static string KeyText(object? key) => key switch
        {
            string s => s,
            null => "null",
            _ => YamlScalars.Format(key),
        };

        private static object? ScalarValue(Scalar scalar)
        {
            var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
            if (tag is "tag:yaml.org,2002:str" || (tag.Length == 0 && scalar.Style != ScalarStyle.Plain))
            {
                return scalar.Value;
            }

            var resolved = YamlScalars.Resolve(scalar.Value);
            return tag switch
            {
                "tag:yaml.org,2002:int" when resolved is long => resolved,
                "tag:yaml.org,2002:float" when resolved is long l => (double)l,
                "tag:yaml.org,2002:float" when resolved is double => resolved,
                "tag:yaml.org,2002:bool" when resolved is bool => resolved,
                "tag:yaml.org,2002:null" => null,
                "" => resolved,
                _ => scalar.Value,
            };
        }

        /// <summary>
        /// go-yaml keeps the text after "#" as it is and sops encrypts exactly that, leading space
        /// included; YamlDotNet trims it, so the text is taken from the source line instead.
        /// </summary>
        private string CommentText(Comment comment)
        {
            var index = (int)comment.Start.Index;
            if (index >= 0 && index < text.Length && text[index] == '#')
            {
                var end = text.IndexOfAny(['\n', '\r'], index);
                return text[(index + 1)..(end < 0 ? text.Length : end)];
            }

            return comment.Value;
        }
    }
}
