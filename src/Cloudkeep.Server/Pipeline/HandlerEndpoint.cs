using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>Steps 5 and 6: runs the operation's handler and encodes its result in the request's protocol.</summary>
internal static class HandlerEndpoint
{
    public static async Task InvokeAsync(HttpContext context)
    {
        var state = RequestState.Get(context);
        var request = (OperationRequest)context.Items[typeof(OperationRequest)]!;
        var result = await state.Handler!.HandleAsync(request, context.RequestAborted);
        var service = state.Service!;
        var operation = state.Operation!;
        var response = context.Response;
        switch (service.Protocol)
        {
            case ServiceProtocol.Query:
                await WriteAsync(context, "text/xml", QueryResponseWriter.WriteResult(service, operation, result.Output, state.RequestId));
                break;
            case ServiceProtocol.Json:
                await WriteAsync(context, "application/x-amz-json-" + (service.JsonVersion ?? "1.1"), JsonProtocol.WriteOutput(operation.Output, result.Output));
                break;
            case ServiceProtocol.RestXml:
                response.StatusCode = result.StatusCode ?? RestXmlProtocol.OutputStatusCode(operation.Output, result.Output) ?? operation.ResponseCode ?? StatusCodes.Status200OK;
                foreach (var (name, value) in RestXmlProtocol.OutputHeaders(operation.Output, result.Output))
                {
                    response.Headers[name] = value;
                }

                foreach (var (name, value) in result.ExtraHeaders ?? [])
                {
                    response.Headers[name] = value;
                }

                if (response.StatusCode == StatusCodes.Status304NotModified)
                {
                    break;
                }

                if (result.Body is { } body)
                {
                    await using (body)
                    {
                        if (!HttpMethods.IsHead(context.Request.Method))
                        {
                            await body.CopyToAsync(response.Body, context.RequestAborted);
                        }
                    }
                }
                else if (RestXmlProtocol.WriteXmlBody(service, operation, result.Output) is { } xml)
                {
                    await WriteAsync(context, "application/xml", xml);
                }
                else if (!response.Headers.ContainsKey("Content-Length"))
                {
                    response.ContentLength = 0;
                }

                break;
            default:
                break;
        }
    }

    private static async Task WriteAsync(HttpContext context, string contentType, byte[] body)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
