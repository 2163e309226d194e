namespace Cloudkeep.Protocol.SigV4;

/// <summary>What a request claims about its signature, parsed from the Authorization header or the presigned query.</summary>
public sealed record SigV4Signature(
    bool Presigned,
    CredentialScope Credential,
    IReadOnlyList<string> SignedHeaders,
    string Signature,
    string AmzDate,
    DateTimeOffset RequestTime,
    int? ExpiresSeconds,
    string? SecurityToken,
    string DeclaredPayloadHash);
