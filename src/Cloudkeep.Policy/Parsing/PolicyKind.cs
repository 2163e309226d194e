namespace Cloudkeep.Policy;

/// <summary>Where a policy document is attached; decides its size limit and which elements it may hold.</summary>
public enum PolicyKind
{
    ManagedIdentity,
    InlineUser,
    InlineGroup,
    InlineRole,
    TrustPolicy,
    Bucket,
    KmsKey,
    Scp,
    SessionPolicy,
    Boundary,
    SnsTopic,
}
