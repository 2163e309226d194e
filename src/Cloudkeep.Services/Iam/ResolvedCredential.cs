using Cloudkeep.Core.Identity;

namespace Cloudkeep.Services.Iam;

/// <summary>An access key's secret and the principal it signs for.</summary>
public sealed record ResolvedCredential(string SecretAccessKey, Caller Caller);
