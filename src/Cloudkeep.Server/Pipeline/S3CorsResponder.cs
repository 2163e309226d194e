using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Http;
using Cloudkeep.Services.S3;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// S3's CORS: an OPTIONS preflight is answered from the bucket's CORS rules without authentication
/// (403 AccessForbidden when no rule matches), and an ordinary request carrying an Origin gets the
/// matching rule's Access-Control-* headers.
/// </summary>
internal sealed class S3CorsResponder(S3Context s3)
{
    public async Task PreflightAsync(HttpContext context, string? bucketName)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        var method = request.Headers.AccessControlRequestMethod.ToString();
        if (string.IsNullOrEmpty(bucketName))
        {
            throw S3Errors.InvalidRequest.ToException("Insufficient information. Origin request header needed.");
        }

        var bucket = await s3.RequireBucketAsync(bucketName, context.RequestAborted);
        if (origin.Length == 0 || method.Length == 0)
        {
            throw S3Errors.InvalidRequest.ToException(origin.Length == 0 ? "Insufficient information. Origin request header needed." : "Invalid Access-Control-Request-Method: null");
        }

        var requestHeaders = RequestedHeaders(request);
        var rule = S3Cors.Match(bucket.Config.Get("Cors"), origin, method, requestHeaders) ?? throw S3Errors.CorsForbidden.ToException();
        foreach (var (name, value) in CorsResponseHeaders.For(RuleOf(rule), origin, requestHeaders, preflight: true))
        {
            context.Response.Headers[name] = value;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    /// <summary>Adds the Access-Control-* headers for a cross-origin request, if the bucket's rules allow it.</summary>
    public async Task AddHeadersAsync(HttpContext context, OperationRequest request, string? bucketName)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || string.IsNullOrEmpty(bucketName))
        {
            return;
        }

        BucketState? bucket;
        try
        {
            // The bucket authorization described, when it is this one; else (ListBuckets) none.
            bucket = request.Facts.Find<BucketState>() is { } described && described.Name == bucketName
                ? described
                : await s3.FindBucketAsync(bucketName, context.RequestAborted);
        }
        catch (AwsException)
        {
            return;
        }

        if (bucket?.Config.Get("Cors") is not { } cors || S3Cors.Match(cors, origin, context.Request.Method, []) is not { } rule)
        {
            return;
        }

        foreach (var (name, value) in CorsResponseHeaders.For(RuleOf(rule), origin, [], preflight: false))
        {
            context.Response.Headers[name] = value;
        }
    }

    internal static CorsResponseHeaders.Rule RuleOf(System.Text.Json.Nodes.JsonObject rule) =>
        new(S3Cors.Values(rule, "AllowedOrigins"), S3Cors.Values(rule, "AllowedMethods"), S3Cors.Values(rule, "ExposeHeaders"), rule["MaxAgeSeconds"]?.ToString());

    private static List<string> RequestedHeaders(HttpRequest request) =>
        [.. request.Headers.AccessControlRequestHeaders.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
