using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Hostile;

/// <summary>
/// Writes a hostile input tree as a request of the operation's protocol, as a client would, except
/// that nothing is validated or repaired: lone surrogates go out as "\ud800" escapes in JSON, as
/// character references in XML and as their WTF-8 bytes in query strings and paths.
/// </summary>
public static class HostileRequests
{
    public static RawRequest Build(ServiceModel service, OperationModel operation, HostileStructure input)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(input);
        return service.Protocol switch
        {
            ServiceProtocol.Query => Query(service, operation, input),
            ServiceProtocol.Json => Json(service, operation, input),
            ServiceProtocol.RpcV2Cbor => Cbor(service, operation, input),
            _ => RestXml(operation, input),
        };
    }

    /// <summary>UTF-8, except that a lone surrogate becomes the three bytes UTF-8 would give it (WTF-8), which no decoder accepts.</summary>
    public static byte[] Bytes(HostileValue value) => value switch
    {
        HostileText { Raw: { } raw } => raw,
        HostileText text => Wtf8(text.Text),
        HostileNumber n => Encoding.ASCII.GetBytes(n.Text),
        HostileBoolean b => Encoding.ASCII.GetBytes(b.Text),
        HostileDeep d => Encoding.ASCII.GetBytes(new string('[', d.Depth) + new string(']', d.Depth)),
        _ => [],
    };

    private static byte[] Wtf8(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, 2)));
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                bytes.Add(0xed);
                bytes.Add((byte)(0x80 | ((c >> 6) & 0x3f)));
                bytes.Add((byte)(0x80 | (c & 0x3f)));
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return [.. bytes];
    }

    private static RawRequest Query(ServiceModel service, OperationModel operation, HostileStructure input)
    {
        var request = new RawRequest { Method = "POST", ContentType = "application/x-www-form-urlencoded; charset=utf-8" };
        var pairs = new List<(byte[], byte[])> { (RawRequest.Utf8("Action"), RawRequest.Utf8(operation.Name)), (RawRequest.Utf8("Version"), RawRequest.Utf8(service.ApiVersion)) };
        Flatten(pairs, "", input);
        request.Body = Encoding.ASCII.GetBytes(string.Join("&", pairs.Select(p => RawRequest.Encode(p.Item1) + "=" + RawRequest.Encode(p.Item2))));
        return request;
    }

    private static void Flatten(List<(byte[], byte[])> pairs, string name, HostileValue value)
    {
        switch (value)
        {
            case HostileStructure structure:
                foreach (var (member, memberValue) in structure.Members)
                {
                    var memberName = (name.Length == 0 ? "" : name + ".") + member.WireName;
                    if (memberValue is HostileList list)
                    {
                        var itemName = member.IsFlattened ? memberName : memberName + "." + (member.Shape.ListMember?.LocationName ?? "member");
                        if (list.Items.Count == 0)
                        {
                            pairs.Add((RawRequest.Utf8(memberName), []));
                        }

                        for (var i = 0; i < list.Items.Count; i++)
                        {
                            Flatten(pairs, itemName + "." + (i + 1).ToString(CultureInfo.InvariantCulture), list.Items[i]);
                        }
                    }
                    else if (memberValue is HostileMap map)
                    {
                        var entryName = member.IsFlattened ? memberName : memberName + ".entry";
                        for (var i = 0; i < map.Entries.Count; i++)
                        {
                            var prefix = entryName + "." + (i + 1).ToString(CultureInfo.InvariantCulture) + ".";
                            pairs.Add((RawRequest.Utf8(prefix + (member.Shape.MapKey?.LocationName ?? "key")), Wtf8(map.Entries[i].Key)));
                            Flatten(pairs, prefix + (member.Shape.MapValue?.LocationName ?? "value"), map.Entries[i].Value);
                        }
                    }
                    else
                    {
                        Flatten(pairs, memberName, memberValue);
                    }
                }

                break;
            case HostileList list:
                for (var i = 0; i < list.Items.Count; i++)
                {
                    Flatten(pairs, name + ".member." + (i + 1).ToString(CultureInfo.InvariantCulture), list.Items[i]);
                }

                break;
            case HostileMap:
                break;
            default:
                pairs.Add((RawRequest.Utf8(name), Bytes(value)));
                break;
        }
    }

    private static RawRequest Json(ServiceModel service, OperationModel operation, HostileStructure input)
    {
        var request = new RawRequest { Method = "POST", ContentType = "application/x-amz-json-" + (service.JsonVersion ?? "1.1") };
        request.Headers.Add(("X-Amz-Target", RawRequest.Utf8(service.TargetPrefix + "." + operation.Name)));
        using var body = new MemoryStream();
        WriteJson(body, input);
        request.Body = body.ToArray();
        return request;
    }

    private static void WriteJson(MemoryStream output, HostileValue value)
    {
        switch (value)
        {
            case HostileStructure structure:
                output.WriteByte((byte)'{');
                for (var i = 0; i < structure.Members.Count; i++)
                {
                    if (i > 0)
                    {
                        output.WriteByte((byte)',');
                    }

                    WriteJsonString(output, new HostileText(structure.Members[i].Member.WireName));
                    output.WriteByte((byte)':');
                    WriteJson(output, structure.Members[i].Value);
                }

                output.WriteByte((byte)'}');
                break;
            case HostileList list:
                output.WriteByte((byte)'[');
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        output.WriteByte((byte)',');
                    }

                    WriteJson(output, list.Items[i]);
                }

                output.WriteByte((byte)']');
                break;
            case HostileMap map:
                output.WriteByte((byte)'{');
                for (var i = 0; i < map.Entries.Count; i++)
                {
                    if (i > 0)
                    {
                        output.WriteByte((byte)',');
                    }

                    WriteJsonString(output, new HostileText(map.Entries[i].Key));
                    output.WriteByte((byte)':');
                    WriteJson(output, map.Entries[i].Value);
                }

                output.WriteByte((byte)'}');
                break;
            case HostileText text:
                WriteJsonString(output, text);
                break;
            default:
                output.Write(Bytes(value));
                break;
        }
    }

    private static void WriteJsonString(MemoryStream output, HostileText text)
    {
        output.WriteByte((byte)'"');
        if (text.Raw is { } raw)
        {
            output.Write(raw);
        }
        else
        {
            var builder = new StringBuilder();
            for (var i = 0; i < text.Text.Length; i++)
            {
                var c = text.Text[i];
                if (c is '"' or '\\')
                {
                    builder.Append('\\').Append(c);
                }
                else if (c < ' ' || (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Text.Length && char.IsLowSurrogate(text.Text[i + 1])) && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text.Text[i - 1]))))
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                }
                else
                {
                    builder.Append(c);
                }
            }

            output.Write(Encoding.UTF8.GetBytes(builder.ToString()));
        }

        output.WriteByte((byte)'"');
    }

    /// <summary>
    /// Smithy RPC v2 CBOR, written token by token so text strings may hold what no encoder writes
    /// (lone surrogates as WTF-8) and a number may arrive as text or as a float where an integer belongs.
    /// </summary>
    private static RawRequest Cbor(ServiceModel service, OperationModel operation, HostileStructure input)
    {
        var request = new RawRequest
        {
            Method = "POST",
            ContentType = "application/cbor",
            PathSegments = [RawRequest.Utf8("service"), RawRequest.Utf8(service.TargetPrefix!), RawRequest.Utf8("operation"), RawRequest.Utf8(operation.Name)],
        };
        request.Headers.Add(("Smithy-Protocol", RawRequest.Utf8("rpc-v2-cbor")));
        using var body = new MemoryStream();
        WriteCbor(body, input, operation.Input);
        request.Body = body.ToArray();
        return request;
    }

    /// <summary>Writes a value as CBOR; <paramref name="shape"/> (when known) makes times tag 1 and blobs byte strings, as a client would.</summary>
    private static void WriteCbor(MemoryStream output, HostileValue value, Shape? shape)
    {
        switch (value)
        {
            case HostileStructure { Members.Count: 0 } when shape?.Type == ShapeType.List:
                // The generator's stand-in for a list nested past its depth: an empty list.
                CborHead(output, 4, 0);
                break;
            case HostileStructure structure:
                CborHead(output, 5, (ulong)structure.Members.Count);
                foreach (var (member, memberValue) in structure.Members)
                {
                    CborText(output, RawRequest.Utf8(member.Name));
                    WriteCbor(output, memberValue, member.Shape);
                }

                break;
            case HostileList list:
                CborHead(output, 4, (ulong)list.Items.Count);
                foreach (var item in list.Items)
                {
                    WriteCbor(output, item, shape?.ListMember?.Shape);
                }

                break;
            case HostileMap map:
                CborHead(output, 5, (ulong)map.Entries.Count);
                foreach (var (key, entry) in map.Entries)
                {
                    CborText(output, Wtf8(key));
                    WriteCbor(output, entry, shape?.MapValue?.Shape);
                }

                break;
            case HostileText time when shape?.Type == ShapeType.Timestamp
                && DateTimeOffset.TryParse(time.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                output.WriteByte(0xc1);
                WriteCbor(output, new HostileNumber(at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), null);
                break;
            case HostileNumber when shape?.Type == ShapeType.Timestamp:
                output.WriteByte(0xc1);
                WriteCbor(output, value, null);
                break;
            case HostileText blob when shape?.Type == ShapeType.Blob && TryBase64(blob.Text) is { } bytes:
                CborHead(output, 2, (ulong)bytes.Length);
                output.Write(bytes);
                break;
            case HostileNumber number when long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                if (integer >= 0)
                {
                    CborHead(output, 0, (ulong)integer);
                }
                else
                {
                    CborHead(output, 1, (ulong)(-1 - integer));
                }

                break;
            case HostileNumber number when double.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real):
                output.WriteByte(0xfb);
                var bits = BitConverter.DoubleToInt64Bits(real);
                for (var shift = 56; shift >= 0; shift -= 8)
                {
                    output.WriteByte((byte)(bits >> shift));
                }

                break;
            case HostileBoolean { Text: "true" or "false" } flag:
                output.WriteByte(flag.Text == "true" ? (byte)0xf5 : (byte)0xf4);
                break;
            case HostileDeep deep:
                for (var i = 0; i < deep.Depth; i++)
                {
                    output.WriteByte(0x81);
                }

                output.WriteByte(0x80);
                break;
            default:
                CborText(output, Bytes(value));
                break;
        }
    }

    private static byte[]? TryBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void CborText(MemoryStream output, byte[] bytes)
    {
        CborHead(output, 3, (ulong)bytes.Length);
        output.Write(bytes);
    }

    private static void CborHead(MemoryStream output, int major, ulong length)
    {
        var type = (byte)(major << 5);
        if (length < 24)
        {
            output.WriteByte((byte)(type | (byte)length));
        }
        else if (length <= byte.MaxValue)
        {
            output.WriteByte((byte)(type | 24));
            output.WriteByte((byte)length);
        }
        else if (length <= ushort.MaxValue)
        {
            output.WriteByte((byte)(type | 25));
            output.WriteByte((byte)(length >> 8));
            output.WriteByte((byte)length);
        }
        else
        {
            output.WriteByte((byte)(type | 27));
            for (var shift = 56; shift >= 0; shift -= 8)
            {
                output.WriteByte((byte)(length >> shift));
            }
        }
    }

    private static RawRequest RestXml(OperationModel operation, HostileStructure input)
    {
        var byName = new Dictionary<string, HostileValue>(StringComparer.Ordinal);
        foreach (var (member, value) in input.Members)
        {
            byName[member.Name] = value;
        }

        var segments = new List<byte[]>();
        foreach (var segment in operation.UriTemplate.Segments)
        {
            if (segment.Literal is { } literal)
            {
                segments.Add(RawRequest.Utf8(literal));
                continue;
            }

            var member = operation.Input!.Members.First(m => m.Location == "uri" && m.WireName == segment.Label);
            var text = byName.TryGetValue(member.Name, out var value) ? Bytes(value) : RawRequest.Utf8(member.Name == "Bucket" ? "fuzz-bucket" : "fuzz-key");
            if (segment.Greedy)
            {
                // A greedy label spans slashes: each piece is its own path segment.
                var start = 0;
                for (var i = 0; i <= text.Length; i++)
                {
                    if (i == text.Length || text[i] == (byte)'/')
                    {
                        segments.Add(text[start..i]);
                        start = i + 1;
                    }
                }
            }
            else
            {
                segments.Add(text);
            }
        }

        var request = new RawRequest { Method = operation.HttpMethod, PathSegments = segments };
        foreach (var (name, required) in operation.UriTemplate.RequiredQuery)
        {
            request.Query.Add((RawRequest.Utf8(name), RawRequest.Utf8(required ?? "")));
        }

        foreach (var (member, value) in input.Members)
        {
            switch (member.Location)
            {
                case "querystring" when value is not HostileMap and not HostileStructure:
                    request.Query.Add((RawRequest.Utf8(member.WireName), value is HostileList list ? [.. list.Items.SelectMany(i => Bytes(i).Append((byte)','))] : Bytes(value)));
                    break;
                case "header" when member.WireName.Equals("Content-Length", StringComparison.OrdinalIgnoreCase):
                    // The HTTP client frames the body; a Content-Length that lies is a different test (BadInputTests).
                    break;
                case "header" when request.Headers.Any(h => h.Name.Equals(member.WireName, StringComparison.OrdinalIgnoreCase)):
                    // A repeated header is joined by the client with ", ": its signature is another test.
                    break;
                case "header" when value is not HostileMap and not HostileStructure and not HostileList:
                    request.Headers.Add((member.WireName, HeaderSafe(value)));
                    break;
                case "headers" when value is HostileMap map:
                    for (var i = 0; i < map.Entries.Count; i++)
                    {
                        request.Headers.Add((member.WireName + "k" + i.ToString(CultureInfo.InvariantCulture), HeaderSafe(map.Entries[i].Value)));
                    }

                    break;
                default:
                    break;
            }
        }

        if (operation.Input?.Payload is { } payloadName && operation.Input.MembersByName[payloadName] is { } payload && byName.TryGetValue(payloadName, out var payloadValue))
        {
            switch (payload.Shape.Type)
            {
                case ShapeType.Structure:
                    var builder = new StringBuilder();
                    var root = payload.LocationName ?? payload.Shape.LocationName ?? payload.Shape.Name;
                    builder.Append('<').Append(root).Append(" xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
                    WriteXmlMembers(builder, payloadValue);
                    builder.Append("</").Append(root).Append('>');
                    request.Body = Encoding.UTF8.GetBytes(builder.ToString());
                    if (!request.Headers.Any(h => h.Name.Equals("Content-MD5", StringComparison.OrdinalIgnoreCase)))
                    {
                        request.Headers.Add(("Content-MD5", RawRequest.Utf8(Convert.ToBase64String(MD5.HashData(request.Body)))));
                    }

                    break;
                default:
                    request.Body = Bytes(payloadValue);
                    break;
            }
        }

        // No payload member (Route 53): the body members go under the root element the operation names.
        if (operation.Input is { Payload: null } && operation.InputLocationName is { } bodyRoot)
        {
            var body = input.Members.Where(m => m.Member.Location is null).ToImmutableList();
            if (body.Count > 0)
            {
                var builder = new StringBuilder();
                builder.Append('<').Append(bodyRoot).Append(" xmlns=\"").Append(operation.InputXmlNamespace).Append("\">");
                WriteXmlMembers(builder, new HostileStructure(body));
                builder.Append("</").Append(bodyRoot).Append('>');
                request.Body = Encoding.UTF8.GetBytes(builder.ToString());
            }
        }

        return request;
    }

    /// <summary>What an HTTP client can put in a header at all: CR, LF and NUL end the field, so they become \u0001.</summary>
    private static byte[] HeaderSafe(HostileValue value)
    {
        var text = value is HostileText { Raw: null } t ? t.Text : Encoding.UTF8.GetString(Bytes(value));
        var cleaned = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            // A header carries ISO-8859-1; anything past it is what a client would have to refuse.
            cleaned.Append(rune.Value is '\r' or '\n' or 0 ? "\u0001" : rune.Value > 0xff ? "?" : rune.ToString());
        }

        return RawRequest.Utf8(cleaned.ToString().Length > 8192 ? cleaned.ToString()[..8192] : cleaned.ToString());
    }

    private static void WriteXmlMembers(StringBuilder builder, HostileValue value)
    {
        switch (value)
        {
            case HostileStructure structure:
                foreach (var (member, memberValue) in structure.Members)
                {
                    if (memberValue is HostileList list && member.IsFlattened)
                    {
                        foreach (var item in list.Items)
                        {
                            Element(builder, member.Shape.ListMember?.LocationName ?? member.WireName, item);
                        }
                    }
                    else if (memberValue is HostileList wrapped)
                    {
                        builder.Append('<').Append(member.WireName).Append('>');
                        foreach (var item in wrapped.Items)
                        {
                            Element(builder, member.Shape.ListMember?.LocationName ?? "member", item);
                        }

                        builder.Append("</").Append(member.WireName).Append('>');
                    }
                    else
                    {
                        Element(builder, member.WireName, memberValue);
                    }
                }

                break;
            case HostileDeep deep:
                builder.Append(string.Concat(Enumerable.Repeat("<a>", deep.Depth))).Append(string.Concat(Enumerable.Repeat("</a>", deep.Depth)));
                break;
            case HostileText text:
                foreach (var c in text.Text)
                {
                    builder.Append(c switch
                    {
                        '<' => "&lt;",
                        '&' => "&amp;",
                        '>' => "&gt;",
                        _ when c < ' ' || char.IsSurrogate(c) || c >= '\ufffe' => $"&#x{(int)c:X};",
                        _ => c.ToString(),
                    });
                }

                break;
            default:
                builder.Append(Encoding.UTF8.GetString(Bytes(value)));
                break;
        }
    }

    private static void Element(StringBuilder builder, string name, HostileValue value)
    {
        builder.Append('<').Append(name).Append('>');
        WriteXmlMembers(builder, value);
        builder.Append("</").Append(name).Append('>');
    }
}
