using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// An AWS operation run inside the server (for a console page, or for the security watch job),
/// through the steps a wire request takes after decoding: the handler describes what it needs, the
/// one authorizer decides, then the handler runs. Nothing inside the server reads a store behind
/// the operations' back, so whatever governs the CLI governs these callers too.
/// </summary>
internal sealed class InProcessOperations(OperationRegistry registry, IRequestAuthorizer authorizer)
{
    public IRequestAuthorizer Authorizer => authorizer;

    /// <summary>A request as a wire request would carry it, with a fresh request id.</summary>
    public static OperationRequest Request(Caller caller, string service, string operation, JsonObject input, string region, string sourceIp, string? userAgent = null, bool secureTransport = false, Stream? body = null) => new()
    {
        Service = service,
        Operation = operation,
        Input = input,
        Caller = caller,
        Region = region,
        RequestId = RequestIds.New(),
        SourceIp = sourceIp,
        UserAgent = userAgent,
        SecureTransport = secureTransport,
        Body = body,
    };

    /// <summary>
    /// Describes, authorizes and handles the request; an AWS error (AccessDenied first of all) is thrown
    /// as <see cref="Core.Errors.AwsException"/>. <paramref name="described"/> learns what the request
    /// was authorized as, before the decision, for a caller that records the call either way.
    /// </summary>
    public async Task<OperationResult> RunAsync(OperationRequest request, Action<AuthorizationTarget>? described, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!registry.TryGet(request.Service, request.Operation, out var handler))
        {
            throw new InvalidOperationException($"No handler for {request.Service}:{request.Operation}.");
        }

        var target = await handler.DescribeAsync(request, cancellationToken);
        described?.Invoke(target);
        await authorizer.AuthorizeAsync(request.Caller, target, request, cancellationToken);
        return await handler.HandleAsync(request, cancellationToken);
    }
}
