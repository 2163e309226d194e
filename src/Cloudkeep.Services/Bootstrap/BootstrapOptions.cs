namespace Cloudkeep.Services.Bootstrap;

/// <summary>What first start may be told: a fixed account id and root key (for scripts and CI).</summary>
public sealed record BootstrapOptions(string DataDirectory, string? AccountId, string? RootAccessKeyId, string? RootSecretAccessKey);
