namespace Cloudkeep.Core.Identity;

/// <summary>
/// What a temporary-credentials session carries: when it was issued and expires, how MFA was
/// proven, and for role sessions the role, the session policies that narrow it and its tags.
/// </summary>
public sealed record SessionFacts(
    DateTimeOffset IssuedAt,
    DateTimeOffset Expiration,
    bool MultiFactorAuthPresent,
    DateTimeOffset? MultiFactorAuthTime,
    string? SourceIdentity)
{
    /// <summary>The role's ARN (aws:PrincipalArn) for an assumed-role session; null for GetSessionToken sessions.</summary>
    public string? RoleArn { get; init; }

    /// <summary>Inline session policy documents (the Policy parameter); null when none was passed.</summary>
    public string? InlineSessionPolicy { get; init; }

    /// <summary>Managed session policy ARNs (the PolicyArns parameter).</summary>
    public IReadOnlyList<string> SessionPolicyArns { get; init; } = [];

    /// <summary>Session tags (aws:PrincipalTag/*), and which of them pass on to chained sessions.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>Whether this session was made by a role session assuming a role (role chaining: 1 hour at most).</summary>
    public bool Chained { get; init; }

    public bool HasSessionPolicies => InlineSessionPolicy is not null || SessionPolicyArns.Count > 0;
}
