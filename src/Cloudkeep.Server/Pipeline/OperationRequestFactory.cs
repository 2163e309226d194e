using Cloudkeep.Core.Operations;

namespace Cloudkeep.Server.Pipeline;

internal static class OperationRequestFactory
{
    public static OperationRequest Create(RequestState state) => new()
    {
        Service = state.Service!.SigningName,
        Operation = state.Operation!.Name,
        Input = state.Input!,
        Caller = state.Caller,
        Region = state.Region,
        RequestId = state.RequestId,
        Body = state.IsS3 ? state.BodyStream : null,
    };
}
