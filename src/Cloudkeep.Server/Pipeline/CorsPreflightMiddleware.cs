using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// The step before authentication for S3's CORS preflight: a browser's OPTIONS request carries no
/// credentials and names no operation; it is answered from the bucket's CORS rules
/// (S3CorsResponder) and goes no further. Every other request passes through.
/// </summary>
internal sealed class CorsPreflightMiddleware(RequestDelegate next, S3CorsResponder cors)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var state = RequestState.Get(context);
        if (!state.IsS3 || !HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }

        var path = DecodeMiddleware.DecodedPath(state.Signable);
        await cors.PreflightAsync(context, state.HostBucket ?? DecodeMiddleware.BucketOf(path));
    }
}
