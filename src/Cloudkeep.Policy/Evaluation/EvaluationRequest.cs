namespace Cloudkeep.Policy;

/// <summary>
/// Everything one authorization decision needs: who, what, on which resource, the request's condition keys, and
/// every policy that applies. The caller gathers the policies; the engine does no I/O.
/// </summary>
public sealed record EvaluationRequest
{
    public required PrincipalInfo Principal { get; init; }

    /// <summary>The IAM action, e.g. "s3:GetObject".</summary>
    public required string Action { get; init; }

    /// <summary>The resource ARN ("*" for actions without a resource).</summary>
    public required string Resource { get; init; }

    /// <summary>The account that owns the resource; null means the principal's own account.</summary>
    public string? ResourceAccount { get; init; }

    public RequestContext Context { get; init; } = RequestContext.Empty;

    public IReadOnlyList<CompiledPolicy> IdentityPolicies { get; init; } = [];

    public CompiledPolicy? PermissionsBoundary { get; init; }

    /// <summary>Session policies passed when the session was created (inline and managed); null when none were.</summary>
    public IReadOnlyList<CompiledPolicy>? SessionPolicies { get; init; }

    public CompiledPolicy? ResourcePolicy { get; init; }

    /// <summary>
    /// SCPs from the root down to the principal's account, one list per level; null when the account is not in an
    /// organization or is its management account (SCPs never apply there).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<CompiledPolicy>>? ScpLevels { get; init; }

    /// <summary>True when the resource policy must itself allow (role trust policies for sts:AssumeRole, KMS key policies).</summary>
    public bool ResourcePolicyRequired { get; init; }

    internal bool IsSameAccount => ResourceAccount is null || ResourceAccount == Principal.AccountId;
}
