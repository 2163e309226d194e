using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Http;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Routing;
using Cloudkeep.Protocol.Serialization;
using Cloudkeep.Protocol.SigV4;
using Cloudkeep.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// Step 3: finds the operation (query Action, X-Amz-Target, or the rest-xml route) and decodes
/// the request into the operation's input shape, validated against the model.
/// </summary>
internal sealed class DecodeMiddleware
{
    private readonly RequestDelegate _next;
    private readonly OperationRegistry _registry;
    private readonly RestXmlRouter _s3Router;
    private readonly Dictionary<string, RestXmlRouter> _restXmlRouters;
    private readonly CloudkeepOptions _options;

    public DecodeMiddleware(RequestDelegate next, OperationRegistry registry, ServiceResolver resolver, CloudkeepOptions options)
    {
        _next = next;
        _registry = registry;
        _s3Router = new RestXmlRouter(resolver.S3);
        _restXmlRouters = resolver.All.Where(m => m.Protocol == ServiceProtocol.RestXml && m != resolver.S3)
            .ToDictionary(m => m.SigningName, m => new RestXmlRouter(m), StringComparer.Ordinal);
        _options = options;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var state = RequestState.Get(context);
        var service = state.Service!;
        switch (state.Protocol)
        {
            case ServiceProtocol.Query:
                await DecodeQueryAsync(context, state, service);
                break;
            case ServiceProtocol.Json:
                await DecodeJsonAsync(context, state, service);
                break;
            case ServiceProtocol.RpcV2Cbor:
                DecodeCbor(context, state, service);
                break;
            case ServiceProtocol.RestXml when !state.IsS3:
                DecodeRoute53(context, state, service);
                break;
            case ServiceProtocol.RestXml:
                await DecodeRestXmlAsync(context, state, service);
                break;
            default:
                throw CommonErrors.UnknownService.ToException();
        }

        await _next(context);
    }

    private async Task DecodeQueryAsync(HttpContext context, RequestState state, ServiceModel service)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in QueryParameters.ParsePairs(state.Signable.RawQuery))
        {
            parameters.TryAdd(name, value);
        }

        if (ServiceResolutionMiddleware.IsForm(context.Request))
        {
            state.BufferedBody ??= await BodyReader.ReadBoundedAsync(context.Request, _options.MaxBufferedBodyBytes, context.RequestAborted);
            state.FormParameters ??= BodyReader.ParseForm(state.BufferedBody);
            foreach (var (name, value) in state.FormParameters)
            {
                parameters[name] = value;
            }
        }

        if (!parameters.TryGetValue("Action", out var action) || action.Length == 0)
        {
            throw CommonErrors.MissingAction.ToException("Could not find operation for this request: the Action parameter is missing.");
        }

        if (!service.Operations.TryGetValue(action, out var operation))
        {
            throw CommonErrors.InvalidAction.ToException($"Could not find operation {Truncate(action)} for version {service.ApiVersion}");
        }

        state.Operation = operation;
        state.Handler = FindHandler(service, operation);
        var input = QueryDecoder.Decode(operation.Input, parameters);
        Validate(operation, input, service.SigningName == Services.CloudWatch.CloudWatchErrors.SigningName
            ? CloudWatchInputValidation.Error
            : problems => CommonErrors.ValidationError.ToException(InputValidator.FormatMessage(problems)));
        state.Input = input;
    }

    /// <summary>
    /// Smithy RPC v2 CBOR (CloudWatch): the operation is the path's last segment, the body (read and
    /// hashed by the authenticate step) the input as CBOR.
    /// </summary>
    private void DecodeCbor(HttpContext context, RequestState state, ServiceModel service)
    {
        if (!CborProtocol.TryParsePath(context.Request.Path.Value ?? "", out var serviceName, out var name)
            || serviceName != service.TargetPrefix
            || !service.Operations.TryGetValue(name, out var operation))
        {
            throw CommonErrors.UnknownOperation.ToException();
        }

        state.Operation = operation;
        state.Handler = FindHandler(service, operation);
        var input = CborProtocol.DecodeInput(operation.Input, state.BufferedBody ?? []);
        Validate(operation, input, ValidationErrorOf(service));
        state.Input = input;
    }

    private static Func<IReadOnlyList<InputProblem>, Exception> ValidationErrorOf(ServiceModel service) => service.SigningName switch
    {
        OrganizationsInputValidation.SigningName => OrganizationsInputValidation.Error,
        "logs" => problems => Services.Logs.LogsErrors.InvalidParameter.ToException(InputValidator.FormatMessage(problems)),
        Services.CloudWatch.CloudWatchErrors.SigningName => CloudWatchInputValidation.Error,
        _ => problems => CommonErrors.JsonValidation.ToException(InputValidator.FormatMessage(problems)),
    };

    private Task DecodeJsonAsync(HttpContext context, RequestState state, ServiceModel service)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var dot = target.LastIndexOf('.');
        var name = dot < 0 ? "" : target[(dot + 1)..];
        if (!service.Operations.TryGetValue(name, out var operation))
        {
            throw CommonErrors.UnknownOperation.ToException();
        }

        state.Operation = operation;
        state.Handler = FindHandler(service, operation);
        var input = JsonProtocol.DecodeInput(operation.Input, state.BufferedBody ?? []);
        // Organizations words the same problems as InvalidInputException with a Reason; CloudWatch
        // Logs as InvalidParameterException ("1 validation error detected: ..."); CloudWatch as its
        // query API does, whatever the protocol.
        Validate(operation, input, ValidationErrorOf(service));

        state.Input = input;
        return Task.CompletedTask;
    }

    private async Task DecodeRestXmlAsync(HttpContext context, RequestState state, ServiceModel service)
    {
        var signable = state.Signable;
        var path = DecodedPath(signable);

        if (state.HostBucket is { } bucket)
        {
            path = "/" + bucket + (path.StartsWith('/') ? path : "/" + path);
        }

        var query = signable.Query;
        if (state.PostForm is { } form)
        {
            S3PostUpload.Decode(state, form, service, FindHandler(service, service.Operations["PutObject"]), BucketOf(path)!);
            return;
        }

        if (!_s3Router.TryRoute(context.Request.Method, path, query, name => context.Request.Headers.ContainsKey(name), out var operation, out var labels))
        {
            throw _s3Router.HasMethod(context.Request.Method)
                ? CommonErrors.NotImplemented.ToException("This combination of resource and subresources is not implemented.")
                : S3AuthErrors.MethodNotAllowed.ToException();
        }

        state.Operation = operation;
        state.UriLabels = labels;
        state.Handler = FindHandler(service, operation);
        // A structure payload is an XML document; a string payload (PutBucketPolicy's policy) is the
        // body itself. Blob payloads stream to the handler and are not read here.
        var payloadType = operation.Input?.Payload is { } payload ? operation.Input.MembersByName[payload].Shape.Type : (ShapeType?)null;
        byte[] buffered = [];
        if (payloadType is ShapeType.Structure or ShapeType.String && state.BodyStream is { } body)
        {
            buffered = await BodyReader.ReadBoundedAsync(body, _options.MaxBufferedBodyBytes, S3AuthErrors.MaxMessageLengthExceeded, context.RequestAborted);
        }

        var input = RestXmlProtocol.DecodeInput(operation.Input, labels, query, RequestHeaders(context.Request, state), payloadType == ShapeType.Structure ? buffered : []);
        if (payloadType == ShapeType.String && state.BodyStream is not null)
        {
            input[operation.Input!.Payload!] = System.Text.Encoding.UTF8.GetString(buffered);
        }

        if (payloadType == ShapeType.Structure && input[operation.Input!.Payload!] is JsonObject document)
        {
            ValidateDocument(operation.Input.MembersByName[operation.Input.Payload!].Shape, document);
        }

        HeaderGrammars.Apply(operation.Input, input);

        state.Input = input;
    }

    /// <summary>
    /// A rest-xml service other than S3 (Route 53): the route from its model, the body (already read
    /// and hashed by the authenticate step) under the root element the operation names, and the
    /// model's constraints checked as the query services check them, answered as InvalidInput.
    /// </summary>
    private void DecodeRoute53(HttpContext context, RequestState state, ServiceModel service)
    {
        var path = DecodedPath(state.Signable);
        var router = _restXmlRouters[service.SigningName];
        if (!router.TryRoute(context.Request.Method, path, state.Signable.Query, out var operation, out var labels)
            && !router.TryRoute(context.Request.Method, path.EndsWith('/') ? path.TrimEnd('/') : path + "/", state.Signable.Query, out operation, out labels))
        {
            throw CommonErrors.NotImplemented.ToException("This resource and method are not implemented.");
        }

        state.Operation = operation;
        state.UriLabels = labels;
        state.Handler = FindHandler(service, operation);
        JsonObject input;
        try
        {
            var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")));
            input = RestXmlProtocol.DecodeInput(operation.Input, labels, state.Signable.Query, headers, state.BufferedBody ?? [], operation.InputLocationName);
        }
        catch (AwsException e) when (e.Error == S3AuthErrors.MalformedXml || e.Error == S3AuthErrors.InvalidArgument)
        {
            // The reader's S3 words for a document it cannot read; Route 53 says InvalidInput.
            throw Services.Route53.Route53Errors.InvalidInput.ToException(e.Error == S3AuthErrors.MalformedXml ? "Invalid XML ; the request body is not a well-formed document of the operation's input." : e.Message);
        }

        Validate(operation, input, problems => Services.Route53.Route53Errors.InvalidInput.ToException(InputValidator.FormatMessage(problems)));
        state.Input = input;
    }

    /// <summary>
    /// A pre-signed URL carries the x-amz-* headers its signer did not sign as headers in its query
    /// string instead (the SDKs' presigners put x-amz-meta-*, x-amz-acl and x-amz-server-side-encryption
    /// there), and S3 reads each as the header it stands for. The query is covered by the signature, so
    /// nobody can add one; a header sent as well wins.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> RequestHeaders(HttpRequest request, RequestState state)
    {
        var sent = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")));
        if (!state.QueryAuthenticated && state.Signature is not { Presigned: true })
        {
            return sent;
        }

        var hoisted = state.Signable.Query
            .Where(p => p.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase) && !SigV4Constants.IsQueryAuthParameter(p.Key) && !request.Headers.ContainsKey(p.Key))
            .ToList();
        return hoisted.Count == 0 ? sent : sent.Concat(hoisted);
    }

    /// <summary>
    /// S3 holds an XML document to its schema only for the elements it must have, answering
    /// MalformedXML; the model's enums, lengths and patterns are the handler's to apply (or not) as
    /// S3 does. Headers, query and labels need no check here: the route already required them.
    /// </summary>
    private static void ValidateDocument(Shape shape, JsonObject document)
    {
        if (InputValidator.Validate(shape, document).Any(p => p.Kind == InputProblemKind.Required))
        {
            throw S3AuthErrors.MalformedXml.ToException();
        }
    }

    /// <summary>An S3 request's path, percent-decoded: InvalidURI when it is not UTF-8 or holds a NUL.</summary>
    internal static string DecodedPath(HttpSignableRequest signable) =>
        AwsUriEncoding.TryDecode(signable.RawPath, out var path) && !path.Contains('\0', StringComparison.Ordinal)
            ? path
            : throw S3AuthErrors.InvalidUri.ToException();

    /// <summary>The bucket of a decoded path-style path ("/bucket/key" → "bucket").</summary>
    internal static string? BucketOf(string path)
    {
        var trimmed = path.TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? trimmed : trimmed[..slash];
        return bucket.Length == 0 ? null : bucket;
    }

    private IOperationHandler FindHandler(ServiceModel service, OperationModel operation) =>
        _registry.TryGet(service.SigningName, operation.Name, out var handler)
            ? handler
            : throw CommonErrors.NotImplemented.ToException($"{operation.Name} is not implemented by Cloudkeep yet.");

    /// <summary>Checks the input against the model's constraints; <paramref name="error"/> words what it finds as the service does.</summary>
    private static void Validate(OperationModel operation, JsonObject input, Func<IReadOnlyList<InputProblem>, Exception> error)
    {
        if (operation.Input is null)
        {
            return;
        }

        var problems = InputValidator.Validate(operation.Input, input);
        if (problems.Count > 0)
        {
            throw error(problems);
        }
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64];
}
