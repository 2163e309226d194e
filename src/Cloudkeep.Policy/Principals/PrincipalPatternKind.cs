namespace Cloudkeep.Policy;

/// <summary>What a Principal entry names: everyone, an account, a role (any of its sessions), one exact user or
/// session ARN, a service, a federation provider or an S3 canonical user.</summary>
internal enum PrincipalPatternKind
{
    Everyone,
    Account,
    Role,
    ExactArn,
    Service,
    Federated,
    CanonicalUser,
}
