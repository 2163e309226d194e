namespace Cloudkeep.Policy;

/// <summary>Either a compiled policy or every validation error found in the document.</summary>
public sealed class PolicyParseResult
{
    internal PolicyParseResult(CompiledPolicy? policy, IReadOnlyList<PolicyError> errors)
    {
        Policy = policy;
        Errors = errors;
    }

    public CompiledPolicy? Policy { get; }

    public IReadOnlyList<PolicyError> Errors { get; }

    public bool IsValid => Policy is not null;

    public CompiledPolicy GetPolicyOrThrow() => Policy ?? throw new PolicyValidationException(Errors);
}
