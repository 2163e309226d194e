using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Pipeline;

/// <summary>Steps 5 and 6: runs the operation's handler and encodes its result in the request's protocol.</summary>
internal static class HandlerEndpoint
{
    public static async Task InvokeAsync(HttpContext context)
    {
        var state = RequestState.Get(context);
        var request = state.Request!;
        var result = await state.Handler!.HandleAsync(request, context.RequestAborted);
        state.Output = result.Output;
        var service = state.Service!;
        var operation = state.Operation!;
        var response = context.Response;
        switch (state.Protocol)
        {
            case ServiceProtocol.RpcV2Cbor:
                response.Headers[CborProtocol.ProtocolHeader] = CborProtocol.ProtocolName;
                await WriteAsync(context, CborProtocol.ContentType, CborProtocol.WriteOutput(operation.Output, result.Output));
                break;
            case ServiceProtocol.Query:
                await WriteAsync(context, "text/xml", QueryResponseWriter.WriteResult(service, operation, result.Output, state.RequestId));
                break;
            case ServiceProtocol.Json:
                await WriteAsync(context, "application/x-amz-json-" + (service.JsonVersion ?? "1.1"), JsonProtocol.WriteOutput(operation.Output, result.Output));
                break;
            case ServiceProtocol.RestXml when state.PostUpload is { } post:
                await WritePostUploadAsync(context, request, result, post);
                break;
            case ServiceProtocol.RestXml:
                if (state.IsS3)
                {
                    await context.RequestServices.GetRequiredService<S3CorsResponder>().AddHeadersAsync(context, request, BucketOf(request));
                }

                response.StatusCode = result.StatusCode ?? RestXmlProtocol.OutputStatusCode(operation.Output, result.Output) ?? operation.ResponseCode ?? StatusCodes.Status200OK;
                foreach (var (name, value) in RestXmlProtocol.OutputHeaders(operation.Output, result.Output))
                {
                    response.Headers[name] = value;
                }

                foreach (var (name, value) in result.ExtraHeaders ?? [])
                {
                    response.Headers[name] = HeaderText.Encode(value);
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

    /// <summary>A browser upload's answer: a redirect, the PostResponse document (201), or an empty 200/204.</summary>
    private static async Task WritePostUploadAsync(HttpContext context, OperationRequest request, OperationResult result, PostUploadResult post)
    {
        var bucket = BucketOf(request) ?? "";
        var key = request.Input["Key"]!.GetValue<string>();
        var etag = result.Output["ETag"]?.GetValue<string>() ?? "";
        var location = $"{context.Request.Scheme}://{context.Request.Host}/{bucket}/{Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal)}";
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.Location = location;
        if (post.Redirect is { Length: > 0 } redirect)
        {
            var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            response.StatusCode = StatusCodes.Status303SeeOther;
            response.Headers.Location = $"{redirect}{separator}bucket={Uri.EscapeDataString(bucket)}&key={Uri.EscapeDataString(key)}&etag={Uri.EscapeDataString(etag)}";
            response.ContentLength = 0;
            return;
        }

        response.StatusCode = post.Status;
        if (post.Status != StatusCodes.Status201Created)
        {
            response.ContentLength = 0;
            return;
        }

        await WriteAsync(context, "application/xml", RestXmlProtocol.WritePostResponse(location, bucket, key, etag));
    }

    private static string? BucketOf(OperationRequest request) =>
        request.Input.TryGetPropertyValue("Bucket", out var bucket) && bucket is System.Text.Json.Nodes.JsonValue value ? value.GetValue<string>() : null;

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
