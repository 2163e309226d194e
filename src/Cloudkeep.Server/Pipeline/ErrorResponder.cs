using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>Writes an <see cref="AwsException"/> in the shape of the request's protocol.</summary>
internal static class ErrorResponder
{
    public static async Task WriteAsync(HttpContext context, RequestState state, AwsException error)
    {
        var protocol = state.ErrorProtocol;
        var queryCode = error.Code;
        error = ErrorFlavours.For(protocol, error, state.Service?.SigningName);
        var response = context.Response;
        if (state.Service is { AwsQueryCompatible: true } && protocol is ServiceProtocol.Json or ServiceProtocol.RpcV2Cbor)
        {
            // A service that moved from the query protocol names the query code too, which the SDKs
            // report as the error's code ("x-amzn-query-error: Code;Sender").
            response.Headers["x-amzn-query-error"] = queryCode + ";" + (error.Error.Fault == Core.Errors.ErrorFault.Sender ? "Sender" : "Receiver");
        }

        response.StatusCode = error.HttpStatus;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        byte[] body;
        switch (protocol)
        {
            case ServiceProtocol.Json:
                response.ContentType = "application/x-amz-json-" + (state.Service?.JsonVersion ?? "1.1");
                response.Headers["x-amzn-ErrorType"] = error.Code;
                body = JsonProtocol.WriteError(error, ErrorType(state.Service, error));
                break;
            case ServiceProtocol.RpcV2Cbor:
                response.ContentType = CborProtocol.ContentType;
                response.Headers[CborProtocol.ProtocolHeader] = CborProtocol.ProtocolName;
                body = CborProtocol.WriteError(ErrorType(state.Service, error), error);
                break;
            case ServiceProtocol.RestXml:
                response.ContentType = "application/xml";
                body = RestXmlProtocol.WriteError(error, state.RequestId, HostId(state.RequestId));
                break;
            default:
                response.ContentType = "text/xml";
                body = QueryResponseWriter.WriteError(state.Service?.XmlNamespace, error, state.RequestId);
                break;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// The "__type" of a JSON or CBOR error: the model's error shape for the code when the service
    /// is query-compatible (CloudWatch's InvalidParameterValueException for InvalidParameterValue),
    /// the code otherwise.
    /// </summary>
    private static string ErrorType(ServiceModel? service, Core.Errors.AwsException error) =>
        service is { AwsQueryCompatible: true } && service.ErrorShapeByCode(error.Code) is { } shape ? shape.Name : error.Code;

    /// <summary>
    /// The answer to a failure no step expected, in the flavour of the request's protocol: S3 calls it
    /// InternalError, the query and JSON services InternalFailure.
    /// </summary>
    public static AwsException Internal(RequestState state) =>
        state.ErrorProtocol == ServiceProtocol.RestXml
            ? CommonErrors.InternalError.ToException()
            : CommonErrors.InternalFailure.ToException("We encountered an internal error. Please try again.");

    /// <summary>The answer when the store could not keep up (see <see cref="Storage.Metadata.StoreBusyException"/>): 503, which SDKs retry.</summary>
    public static AwsException Busy(RequestState state) =>
        state.ErrorProtocol == ServiceProtocol.RestXml
            ? Services.S3.S3Errors.SlowDown.ToException()
            : CommonErrors.ServiceUnavailable.ToException("The service is busy; retry the request.");

    /// <summary>The metadata store cannot be reached: S3's ServiceUnavailable, the query and JSON services' ServiceUnavailable, 503 both.</summary>
    public static AwsException Unavailable(RequestState state) =>
        state.ErrorProtocol == ServiceProtocol.RestXml
            ? Services.S3.S3Errors.ServiceUnavailable.ToException()
            : CommonErrors.ServiceUnavailable.ToException("The service is temporarily unavailable; retry the request.");

    /// <summary>S3's x-amz-id-2: an opaque host id; derived from the request id so both can be quoted together.</summary>
    public static string HostId(string requestId) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(requestId)));
}
