using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sts.Operations;

/// <summary>
/// sts:DecodeAuthorizationMessage. Cloudkeep's AccessDenied errors carry their explanation in plain
/// text (the enhanced message) rather than an encoded message, so there is never a message of ours
/// to decode: every input is answered as AWS answers one it did not issue.
/// </summary>
public sealed class DecodeAuthorizationMessage : IOperationHandler
{
    public string Service => "sts";

    public string Operation => "DecodeAuthorizationMessage";

    public ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new AuthorizationTarget("sts:DecodeAuthorizationMessage", ["*"]));

    public ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken) =>
        throw StsErrors.InvalidAuthorizationMessage.ToException("The encoded message is not one Cloudkeep issued: its AccessDenied errors explain themselves in plain text.");
}
