using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// The rest-xml protocol (S3): input members bound from the URI labels, headers, query string and
/// an XML (or streaming) payload; output members written to headers, the status code and the payload.
/// </summary>
public static class RestXmlProtocol
{
    private static readonly XmlWriterSettings WriterSettings = SafeXml.WriterSettings;

    /// <summary>The member of an input or output that is a streaming blob body, if any.</summary>
    public static MemberRef? StreamingPayload(Shape? shape) =>
        shape?.Payload is { } payload && shape.MembersByName[payload] is { } member && member.Shape.Type == ShapeType.Blob ? member : null;

    public static JsonObject DecodeInput(
        Shape? input,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<string, string> query,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> xmlBody,
        string? bodyRoot = null)
    {
        var result = new JsonObject();
        if (input is null)
        {
            return result;
        }

        var headerList = headers.ToList();
        foreach (var member in input.Members)
        {
            switch (member.Location)
            {
                case "uri":
                    if (labels.TryGetValue(member.WireName, out var label))
                    {
                        result[member.Name] = Scalar(member, label, ModelValues.Iso8601);
                    }

                    break;
                case "querystring":
                    if (member.Shape.Type == ShapeType.Map)
                    {
                        var map = new JsonObject();
                        foreach (var (name, value) in query)
                        {
                            map[name] = value;
                        }

                        result[member.Name] = map;
                    }
                    else if (query.TryGetValue(member.WireName, out var queryValue))
                    {
                        if (member.WireName.StartsWith("response-", StringComparison.Ordinal))
                        {
                            // These become response headers, where a control character cannot go.
                            HeaderText.RefuseControlCharacters(member.WireName, queryValue);
                        }

                        result[member.Name] = member.Shape.Type == ShapeType.List
                            ? new JsonArray(queryValue.Split(',').Select(v => Scalar(member.Shape.ListMember!, v, ModelValues.Iso8601)).ToArray())
                            : Scalar(member, queryValue, ModelValues.Iso8601);
                    }

                    break;
                case "header":
                    var headerValue = headerList.Where(h => string.Equals(h.Key, member.WireName, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
                    if (headerValue.Count > 0)
                    {
                        var joined = string.Join(",", headerValue);
                        HeaderText.RefuseControlCharacters(member.WireName, joined);
                        result[member.Name] = member.Shape.Type == ShapeType.List
                            ? new JsonArray(joined.Split(',').Select(v => Scalar(member.Shape.ListMember!, v.Trim(), ModelValues.Rfc822)).ToArray())
                            : Scalar(member, joined, ModelValues.Rfc822);
                    }

                    break;
                case "headers":
                    var prefix = member.WireName;
                    var metadata = new JsonObject();
                    foreach (var (name, value) in headerList)
                    {
                        if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                        {
                            var text = HeaderText.Decode(value);
                            HeaderText.RefuseControlCharacters(name, text);
                            metadata[name[prefix.Length..].ToLowerInvariant()] = text;
                        }
                    }

                    if (metadata.Count > 0)
                    {
                        result[member.Name] = metadata;
                    }

                    break;
                default:
                    break;
            }
        }

        if (input.Payload is { } payloadName && input.MembersByName[payloadName] is { } payload && payload.Shape.Type == ShapeType.Structure && !xmlBody.IsEmpty)
        {
            result[payload.Name] = ReadXmlPayload(payload, xmlBody);
        }
        else if (input.Payload is null && bodyRoot is not null && !xmlBody.IsEmpty)
        {
            // No payload member: the body members sit under a root the operation names (Route 53).
            var body = ReadStructure(input, LoadRoot(xmlBody, bodyRoot), depth: 0);
            foreach (var member in input.Members.Where(m => m.Location is null))
            {
                if (body[member.Name] is { } value)
                {
                    result[member.Name] = value.DeepClone();
                }
            }
        }

        return result;
    }

    private static JsonNode? Scalar(MemberRef member, string text, string defaultTimestampFormat)
    {
        if (ModelValues.TryParseScalar(member.Shape, text, defaultTimestampFormat, member.TimestampFormat, out var value))
        {
            return value;
        }

        throw S3AuthErrors.InvalidArgument.ToException($"The value '{(text.Length > 64 ? text[..64] : text)}' of {member.WireName} is not valid.");
    }

    private static JsonObject ReadXmlPayload(MemberRef payload, ReadOnlySpan<byte> body) =>
        ReadStructure(payload.Shape, LoadRoot(body, payload.LocationName ?? payload.Shape.LocationName ?? payload.Shape.Name), depth: 0);

    private static XElement LoadRoot(ReadOnlySpan<byte> body, string expected)
    {
        XElement root;
        try
        {
            using var stream = new MemoryStream(body.ToArray());
            var settings = SafeXml.ReaderSettings.Clone();
            settings.Async = false;
            using var reader = XmlReader.Create(stream, settings);
            root = XElement.Load(reader);
        }
        catch (XmlException)
        {
            throw S3AuthErrors.MalformedXml.ToException();
        }

        if (root.Name.LocalName != expected)
        {
            throw S3AuthErrors.MalformedXml.ToException();
        }

        return root;
    }

    private static JsonObject ReadStructure(Shape shape, XElement element, int depth)
    {
        if (depth > 20)
        {
            throw S3AuthErrors.MalformedXml.ToException();
        }

        var result = new JsonObject();
        foreach (var member in shape.Members)
        {
            if (member.XmlAttribute)
            {
                var attribute = element.Attributes().FirstOrDefault(a => a.Name.LocalName == member.WireName.Split(':')[^1]);
                if (attribute is not null)
                {
                    result[member.Name] = ReadScalarText(member, attribute.Value);
                }

                continue;
            }

            var children = element.Elements().Where(e => e.Name.LocalName == member.WireName).ToList();
            if (member.Shape.Type == ShapeType.List)
            {
                var itemRef = member.Shape.ListMember!;
                IEnumerable<XElement> items = member.IsFlattened
                    ? element.Elements().Where(e => e.Name.LocalName == (itemRef.LocationName ?? member.WireName))
                    : children.SelectMany(c => c.Elements().Where(e => e.Name.LocalName == (itemRef.LocationName ?? "member")));
                if (!member.IsFlattened && children.Count == 0)
                {
                    continue;
                }

                var list = new JsonArray();
                foreach (var item in items)
                {
                    list.Add(ReadElement(itemRef, item, depth + 1));
                }

                if (list.Count > 0 || !member.IsFlattened)
                {
                    result[member.Name] = list;
                }

                continue;
            }

            if (children.Count > 0)
            {
                result[member.Name] = ReadElement(member, children[0], depth + 1);
            }
        }

        return result;
    }

    private static JsonNode? ReadElement(MemberRef reference, XElement element, int depth) =>
        reference.Shape.Type switch
        {
            ShapeType.Structure => ReadStructure(reference.Shape, element, depth),
            ShapeType.List or ShapeType.Map => throw S3AuthErrors.MalformedXml.ToException(),
            _ => ReadScalarText(reference, element.Value),
        };

    private static JsonNode? ReadScalarText(MemberRef reference, string text) =>
        ModelValues.TryParseScalar(reference.Shape, reference.Shape.Type == ShapeType.String ? text : text.Trim(), ModelValues.Iso8601, reference.TimestampFormat, out var value)
            ? value
            : throw S3AuthErrors.MalformedXml.ToException();

    /// <summary>Headers of an output: location "header" and the "headers" prefix maps (x-amz-meta-).</summary>
    public static IEnumerable<KeyValuePair<string, string>> OutputHeaders(Shape? output, JsonObject value)
    {
        if (output is null)
        {
            yield break;
        }

        foreach (var member in output.Members)
        {
            if (!value.TryGetPropertyValue(member.Name, out var node) || node is null)
            {
                continue;
            }

            if (member.Location == "header")
            {
                var text = member.Shape.Type == ShapeType.List
                    ? string.Join(",", ((JsonArray)node).Where(n => n is not null).Select(n => ModelValues.FormatScalar(member.Shape.ListMember!.Shape, n!, ModelValues.Rfc822, null)))
                    : ModelValues.FormatScalar(member.Shape, node, ModelValues.Rfc822, member.TimestampFormat);
                yield return new(member.WireName, HeaderText.Encode(text));
            }
            else if (member.Location == "headers")
            {
                foreach (var (key, item) in (JsonObject)node)
                {
                    if (item is not null)
                    {
                        yield return new(member.WireName + key, HeaderText.Encode(item.GetValue<string>()));
                    }
                }
            }
        }
    }

    /// <summary>The status code member of an output (S3's GetObject 206 for ranges), if set.</summary>
    public static int? OutputStatusCode(Shape? output, JsonObject value)
    {
        var member = output?.Members.FirstOrDefault(m => m.Location == "statusCode");
        return member is not null && value.TryGetPropertyValue(member.Name, out var node) && node is not null ? (int)node.GetValue<long>() : null;
    }

    /// <summary>The XML body of an output: its structure payload, or the body members under the output's root element.</summary>
    public static byte[]? WriteXmlBody(ServiceModel service, OperationModel operation, JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var output = operation.Output;
        if (output is null)
        {
            return null;
        }

        MemberRef? payload = output.Payload is { } payloadName ? output.MembersByName[payloadName] : null;
        if (payload is not null && payload.Shape.Type != ShapeType.Structure)
        {
            return null;
        }

        var bodyMembers = output.Members.Where(m => m.Location is null).ToList();
        if (payload is null && bodyMembers.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings))
        {
            if (payload is not null)
            {
                if (!value.TryGetPropertyValue(payload.Name, out var node) || node is not JsonObject payloadValue)
                {
                    return null;
                }

                var rootName = payload.LocationName ?? payload.Shape.LocationName ?? payload.Shape.Name;
                writer.WriteStartElement(rootName, payload.XmlNamespaceUri ?? payload.Shape.XmlNamespaceUri ?? service.XmlNamespace ?? S3Namespace);
                XmlShapeWriter.WriteMembers(writer, payload.Shape, payloadValue);
                writer.WriteEndElement();
            }
            else
            {
                var rootName = S3XmlRootNames.ByOperation.GetValueOrDefault(operation.Name) ?? output.LocationName ?? output.Name;
                writer.WriteStartElement(rootName, output.XmlNamespaceUri ?? service.XmlNamespace ?? S3Namespace);
                if (operation.Name == "GetBucketLocation")
                {
                    // S3 answers the constraint as the root element's own text, not as a child element.
                    writer.WriteString(SafeXml.Text(value["LocationConstraint"]?.GetValue<string>() ?? ""));
                }
                else
                {
                    XmlShapeWriter.WriteMembers(writer, output, value);
                }

                writer.WriteEndElement();
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A browser upload's PostResponse document (success_action_status 201).</summary>
    public static byte[] WritePostResponse(string location, string bucket, string key, string etag)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings))
        {
            writer.WriteStartElement("PostResponse");
            writer.WriteElementString("Location", SafeXml.Text(location));
            writer.WriteElementString("Bucket", SafeXml.Text(bucket));
            writer.WriteElementString("Key", SafeXml.Text(key));
            writer.WriteElementString("ETag", SafeXml.Text(etag));
            writer.WriteEndElement();
        }

        return buffer.ToArray();
    }

    /// <summary>S3's error document: &lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;...&lt;RequestId/&gt;&lt;HostId/&gt;&lt;/Error&gt;.</summary>
    public static byte[] WriteError(AwsException error, string requestId, string hostId)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings))
        {
            writer.WriteStartElement("Error");
            writer.WriteElementString("Code", error.Code);
            writer.WriteElementString("Message", SafeXml.Text(error.Message));
            foreach (var (name, fieldValue) in error.Fields)
            {
                writer.WriteElementString(name, SafeXml.Text(fieldValue));
            }

            writer.WriteElementString("RequestId", requestId);
            writer.WriteElementString("HostId", hostId);
            writer.WriteEndElement();
        }

        return buffer.ToArray();
    }

    public const string S3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
}
