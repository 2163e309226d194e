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

    public static Caller RootOf(string accountId, string accessKeyId) =>
        new(PrincipalKind.Root, accountId, $"arn:aws:iam::{accountId}:root", accountId, accessKeyId);
}
