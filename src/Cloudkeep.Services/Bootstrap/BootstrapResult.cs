namespace Cloudkeep.Services.Bootstrap;

/// <summary>
/// What bootstrap found or made. <see cref="NewRootSecret"/> is set only on the start that generated
/// the key, so it can be shown once; a secret the operator supplied is never handed back, so nothing
/// can echo it.
/// </summary>
public sealed record BootstrapResult(string ManagementAccountId, bool Created, string? RootAccessKeyId, string? NewRootSecret, string? CredentialsFile);
