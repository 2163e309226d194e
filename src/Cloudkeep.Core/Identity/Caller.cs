namespace Cloudkeep.Core.Identity;

/// <summary>
/// The authenticated (or anonymous) principal behind one request, as the authentication step
/// established it. Everything authorization and auditing need to know about "who".
/// </summary>
public sealed record Caller(
    PrincipalKind Kind,
    string AccountId,
    string Arn,
    string UserId,
    string? AccessKeyId,
    SessionFacts? Session = null)
{
    public static Caller Anonymous { get; } = new(PrincipalKind.Anonymous, "", "*", "anonymous", null);

    public bool IsAnonymous => Kind == PrincipalKind.Anonymous;

    /// <summary>The IAM user's name for a user (or a GetSessionToken session of one); null otherwise.</summary>
    public string? UserName => Kind == PrincipalKind.User ? Arn[(Arn.LastIndexOf('/') + 1)..] : null;

    /// <summary>aws:PrincipalArn: the role's ARN for an assumed-role session, the caller's ARN otherwise.</summary>
    public string PrincipalArn => Session?.RoleArn ?? Arn;

    public static Caller RootOf(string accountId, string accessKeyId) =>
        new(PrincipalKind.Root, accountId, $"arn:aws:iam::{accountId}:root", accountId, accessKeyId);
}
