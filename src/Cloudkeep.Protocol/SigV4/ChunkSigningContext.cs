namespace Cloudkeep.Protocol.SigV4;

/// <summary>What chunk signatures are chained from: the signing key, the request's date and scope, and the seed signature.</summary>
public sealed record ChunkSigningContext(SigningKey SigningKey, string AmzDate, string Scope, string SeedSignature);
