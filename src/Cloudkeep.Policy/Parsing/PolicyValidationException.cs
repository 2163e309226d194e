namespace Cloudkeep.Policy;

/// <summary>Thrown at the edges (API handlers) when a document is rejected; carries every error found.</summary>
public sealed class PolicyValidationException : Exception
{
    public PolicyValidationException(IReadOnlyList<PolicyError> errors)
        : base(errors is { Count: > 0 } ? errors[0].Message : "Syntax errors in policy.")
    {
        Errors = errors ?? [];
        Code = Errors.Count > 0 ? Errors[0].Code : PolicyErrorCode.MalformedPolicyDocument;
    }

    public PolicyValidationException()
        : this([])
    {
    }

    public PolicyValidationException(string message)
        : this([new PolicyError(PolicyErrorCode.MalformedPolicyDocument, message)])
    {
    }

    public PolicyValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new PolicyError(PolicyErrorCode.MalformedPolicyDocument, message)];
        Code = PolicyErrorCode.MalformedPolicyDocument;
    }

    public PolicyErrorCode Code { get; }

    public IReadOnlyList<PolicyError> Errors { get; }
}
