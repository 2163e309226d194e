namespace Cloudkeep.Core.Identity;

/// <summary>What a temporary-credentials session carries: when it was issued and how MFA was proven.</summary>
public sealed record SessionFacts(
    DateTimeOffset IssuedAt,
    DateTimeOffset Expiration,
    bool MultiFactorAuthPresent,
    DateTimeOffset? MultiFactorAuthTime,
    string? SourceIdentity);
