using Cloudkeep.Core.Operations;

namespace Cloudkeep.Server.Pipeline;

internal static class OperationRequestFactory
{
    public static OperationRequest Create(RequestState state, Microsoft.AspNetCore.Http.HttpContext context) => new()
    {
        SourceIp = context.Connection.RemoteIpAddress?.ToString() ?? "",
        UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
        Referer = context.Request.Headers.Referer.ToString() is { Length: > 0 } referer ? referer : null,
        SecureTransport = context.Request.IsHttps,
        SignedWithSigV2 = state.SignedWithSigV2,
        IsBrowserPost = state.PostUpload is not null,
        Service = state.Service!.SigningName,
        Operation = state.Operation!.Name,
        Input = state.Input!,
        Caller = state.Caller,
        Region = state.Region,
        RequestId = state.RequestId,
        Body = state.IsS3 ? state.BodyStream : null,
    };
}
