namespace Cloudkeep.Services.Bootstrap;

/// <summary>
/// What bootstrap found or made. <see cref="NewRootSecret"/> is set only on the start that created
/// the key, so it can be shown once.
/// </summary>
public sealed record BootstrapResult(string ManagementAccountId, bool Created, string? RootAccessKeyId, string? NewRootSecret, string? CredentialsFile);
