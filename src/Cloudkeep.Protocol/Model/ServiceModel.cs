using System.Collections.Frozen;
using System.IO.Compression;
using System.Text.Json;

namespace Cloudkeep.Protocol.Model;

/// <summary>
/// An AWS service model (botocore's service-2.json) read into shapes and operations. Loaded once at
/// start-up from the embedded, vendored model files (see models/README.md).
/// </summary>
public sealed class ServiceModel
{
    private ServiceModel(
        string signingName,
        string apiVersion,
        ServiceProtocol protocol,
        IReadOnlyList<ServiceProtocol> protocols,
        bool awsQueryCompatible,
        string? targetPrefix,
        string? jsonVersion,
        string? xmlNamespace,
        FrozenDictionary<string, OperationModel> operations,
        FrozenDictionary<string, Shape> shapes)
    {
        SigningName = signingName;
        ApiVersion = apiVersion;
        Protocol = protocol;
        Protocols = protocols;
        AwsQueryCompatible = awsQueryCompatible;
        TargetPrefix = targetPrefix;
        JsonVersion = jsonVersion;
        XmlNamespace = xmlNamespace;
        Operations = operations;
        Shapes = shapes;
    }

    public string SigningName { get; }

    public string ApiVersion { get; }

    /// <summary>The model's own protocol (metadata.protocol): the one its errors and unsigned calls default to.</summary>
    public ServiceProtocol Protocol { get; }

    /// <summary>
    /// Every protocol the service answers (metadata.protocols, CloudWatch's rpc-v2-cbor, json and
    /// query); a request's own headers say which one it speaks.
    /// </summary>
    public IReadOnlyList<ServiceProtocol> Protocols { get; }

    /// <summary>
    /// A service that moved from the query protocol (awsQueryCompatible): its JSON and CBOR errors
    /// carry the query error code in x-amzn-query-error, which the SDKs report as the code.
    /// </summary>
    public bool AwsQueryCompatible { get; }

    public string? TargetPrefix { get; }

    public string? JsonVersion { get; }

    public string? XmlNamespace { get; }

    public FrozenDictionary<string, OperationModel> Operations { get; }

    public FrozenDictionary<string, Shape> Shapes { get; }

    /// <summary>The error shape whose code (error.code, or its name) is <paramref name="code"/>, if the model has one.</summary>
    public Shape? ErrorShapeByCode(string code)
    {
        _errorsByCode ??= Shapes.Values.Where(s => s.IsException)
            .GroupBy(s => s.ErrorCode ?? s.Name, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(s => s.Name.Length).First(), StringComparer.Ordinal);
        return _errorsByCode.GetValueOrDefault(code);
    }

    private FrozenDictionary<string, Shape>? _errorsByCode;

    public static ServiceModel LoadEmbedded(string fileName)
    {
        var assembly = typeof(ServiceModel).Assembly;
        using var resource = assembly.GetManifestResourceStream("models/" + fileName)
            ?? throw new InvalidOperationException($"The service model {fileName} is not embedded.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        return Read(document.RootElement);
    }

    public static ServiceModel Read(JsonElement root)
    {
        var metadata = root.GetProperty("metadata");
        var protocol = ParseProtocol(metadata.GetProperty("protocol").GetString());
        IReadOnlyList<ServiceProtocol> protocols = metadata.TryGetProperty("protocols", out var listed)
            ? [.. listed.EnumerateArray().Select(p => ParseProtocol(p.GetString()))]
            : [protocol];
        var signingName = metadata.TryGetProperty("signingName", out var sn) ? sn.GetString()! : metadata.GetProperty("endpointPrefix").GetString()!;

        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        var pending = new List<(Shape Shape, JsonElement Json)>();
        foreach (var property in root.GetProperty("shapes").EnumerateObject())
        {
            var shape = ReadShape(property.Name, property.Value);
            shapes[property.Name] = shape;
            pending.Add((shape, property.Value));
        }

        foreach (var (shape, json) in pending)
        {
            ResolveReferences(shape, json, shapes);
        }

        var operations = new Dictionary<string, OperationModel>(StringComparer.Ordinal);
        foreach (var property in root.GetProperty("operations").EnumerateObject())
        {
            var json = property.Value;
            var http = json.GetProperty("http");
            var operation = new OperationModel(
                property.Name,
                http.GetProperty("method").GetString()!,
                http.TryGetProperty("requestUri", out var uri) ? uri.GetString()! : "/")
            {
                ResponseCode = http.TryGetProperty("responseCode", out var code) ? code.GetInt32() : null,
                ResultWrapper = json.TryGetProperty("output", out var output) && output.TryGetProperty("resultWrapper", out var wrapper) ? wrapper.GetString() : null,
                Deprecated = Bool(json, "deprecated"),
                S3ExpressControl = json.TryGetProperty("staticContextParams", out var scp) && scp.TryGetProperty("UseS3ExpressControlEndpoint", out _),
            };
            if (json.TryGetProperty("input", out var input))
            {
                operation.Input = shapes[input.GetProperty("shape").GetString()!];
                operation.InputLocationName = Str(input, "locationName");
                operation.InputXmlNamespace = input.TryGetProperty("xmlNamespace", out var inputNs) && inputNs.TryGetProperty("uri", out var inputUri) ? inputUri.GetString() : null;
            }

            if (json.TryGetProperty("output", out output))
            {
                operation.Output = shapes[output.GetProperty("shape").GetString()!];
            }

            if (json.TryGetProperty("errors", out var errors))
            {
                operation.Errors = [.. errors.EnumerateArray().Select(e => shapes[e.GetProperty("shape").GetString()!])];
            }

            operations[property.Name] = operation;
        }

        return new ServiceModel(
            signingName,
            metadata.GetProperty("apiVersion").GetString()!,
            protocol,
            protocols,
            metadata.TryGetProperty("awsQueryCompatible", out _),
            metadata.TryGetProperty("targetPrefix", out var tp) ? tp.GetString() : null,
            metadata.TryGetProperty("jsonVersion", out var jv) ? jv.GetString() : null,
            // Route 53's metadata names no namespace; its operations declare it on their inputs, and its
            // answers carry the same one.
            metadata.TryGetProperty("xmlNamespace", out var ns) ? ns.GetString() : operations.Values.Select(o => o.InputXmlNamespace).FirstOrDefault(n => n is not null),
            operations.ToFrozenDictionary(StringComparer.Ordinal),
            shapes.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static ServiceProtocol ParseProtocol(string? name) => name switch
    {
        "query" => ServiceProtocol.Query,
        "json" => ServiceProtocol.Json,
        "rest-xml" => ServiceProtocol.RestXml,
        "smithy-rpc-v2-cbor" => ServiceProtocol.RpcV2Cbor,
        var other => throw new NotSupportedException($"Protocol {other} is not served."),
    };

    private static Shape ReadShape(string name, JsonElement json)
    {
        var type = json.GetProperty("type").GetString() switch
        {
            "structure" => ShapeType.Structure,
            "list" => ShapeType.List,
            "map" => ShapeType.Map,
            "string" => ShapeType.String,
            "integer" => ShapeType.Integer,
            "long" => ShapeType.Long,
            "float" => ShapeType.Float,
            "double" => ShapeType.Double,
            "boolean" => ShapeType.Boolean,
            "timestamp" => ShapeType.Timestamp,
            "blob" => ShapeType.Blob,
            var other => throw new NotSupportedException($"Shape type {other} of {name}."),
        };
        var error = json.TryGetProperty("error", out var e) ? e : default;
        return new Shape(name, type)
        {
            Required = json.TryGetProperty("required", out var required)
                ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(),
            Flattened = Bool(json, "flattened"),
            TimestampFormat = Str(json, "timestampFormat"),
            LocationName = Str(json, "locationName"),
            XmlNamespaceUri = json.TryGetProperty("xmlNamespace", out var xns) && xns.TryGetProperty("uri", out var u) ? u.GetString() : null,
            Payload = Str(json, "payload"),
            Streaming = Bool(json, "streaming") || Bool(json, "requiresLength"),
            IsException = Bool(json, "exception"),
            ErrorCode = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) ? c.GetString() : null,
            ErrorHttpStatus = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("httpStatusCode", out var s) ? s.GetInt32() : null,
            ErrorSenderFault = error.ValueKind == JsonValueKind.Object && Bool(error, "senderFault"),
            Enum = json.TryGetProperty("enum", out var en) ? [.. en.EnumerateArray().Select(x => x.GetString()!)] : null,
            Min = json.TryGetProperty("min", out var min) ? min.GetDouble() : null,
            Max = json.TryGetProperty("max", out var max) ? max.GetDouble() : null,
            Pattern = Str(json, "pattern"),
            Sensitive = Bool(json, "sensitive"),
        };
    }

    private static void ResolveReferences(Shape shape, JsonElement json, Dictionary<string, Shape> shapes)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                var members = new List<MemberRef>();
                if (json.TryGetProperty("members", out var membersJson))
                {
                    foreach (var member in membersJson.EnumerateObject())
                    {
                        members.Add(ReadRef(member.Name, member.Value, shapes));
                    }
                }

                shape.Members = members;
                shape.MembersByName = members.ToDictionary(m => m.Name, StringComparer.Ordinal);
                break;
            case ShapeType.List:
                shape.ListMember = ReadRef("member", json.GetProperty("member"), shapes);
                break;
            case ShapeType.Map:
                shape.MapKey = ReadRef("key", json.GetProperty("key"), shapes);
                shape.MapValue = ReadRef("value", json.GetProperty("value"), shapes);
                break;
            default:
                break;
        }
    }

    private static MemberRef ReadRef(string name, JsonElement json, Dictionary<string, Shape> shapes)
    {
        var shapeName = json.GetProperty("shape").GetString()!;
        var xmlNamespace = json.TryGetProperty("xmlNamespace", out var ns) ? ns : default;
        return new MemberRef(name, shapeName)
        {
            Shape = shapes[shapeName],
            Location = Str(json, "location"),
            LocationName = Str(json, "locationName"),
            XmlAttribute = Bool(json, "xmlAttribute"),
            XmlNamespaceUri = xmlNamespace.ValueKind == JsonValueKind.Object && xmlNamespace.TryGetProperty("uri", out var uri) ? uri.GetString() : null,
            XmlNamespacePrefix = xmlNamespace.ValueKind == JsonValueKind.Object && xmlNamespace.TryGetProperty("prefix", out var prefix) ? prefix.GetString() : null,
            Flattened = Bool(json, "flattened"),
            TimestampFormat = Str(json, "timestampFormat"),
            Streaming = Bool(json, "streaming"),
            HostLabel = Bool(json, "hostLabel"),
        };
    }

    private static string? Str(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Bool(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
