namespace Cloudkeep.Auth;

/// <summary>What `cloudkeep auth` was asked to do.</summary>
public sealed record AuthOptions(
    string? Profile,
    string? Duration,
    string? MfaCode,
    bool Export,
    bool CredentialProcess,
    bool ClearCache,
    IReadOnlyList<string> Command);
