namespace Cloudkeep.Core.Errors;

/// <summary>One entry of an error catalogue: the code AWS sends, its HTTP status and fault side.</summary>
public sealed record AwsError(string Code, int HttpStatus, ErrorFault Fault, string DefaultMessage)
{
    public AwsException ToException(string? message = null) => new(this, message ?? DefaultMessage);
}
