namespace Cloudkeep.Policy;

/// <summary>
/// Who makes the request. <see cref="Arn"/> is the caller's own ARN (the session ARN for an assumed role, the service
/// name for a service principal, the provider for a web identity); <see cref="RoleArn"/> is the role behind an
/// assumed-role session, which resource policies may name instead of the session. Principal tags and session facts
/// reach policies through the request context (aws:PrincipalTag/*, aws:MultiFactorAuthPresent, ...).
/// </summary>
public sealed record PrincipalInfo(PrincipalType Type, string Arn, string? AccountId)
{
    public static PrincipalInfo Anonymous { get; } = new(PrincipalType.Anonymous, "anonymous", null);

    public string? RoleArn { get; init; }

    public string? UserId { get; init; }

    public string? CanonicalUserId { get; init; }

    public bool IsAuthenticatedInAccount => Type is PrincipalType.Root or PrincipalType.User
        or PrincipalType.AssumedRole or PrincipalType.FederatedUser;

    /// <summary>Derives type, account and role from an IAM/STS ARN ("arn:aws:iam::1:user/x", "arn:aws:sts::1:assumed-role/r/s", ...).</summary>
    public static PrincipalInfo FromArn(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn")
        {
            return new PrincipalInfo(arn.EndsWith(".amazonaws.com", StringComparison.Ordinal) ? PrincipalType.Service : PrincipalType.WebIdentity, arn, null);
        }

        var account = parts[4];
        var resource = parts[5];
        if (parts[2] == "iam" && resource == "root")
        {
            return new PrincipalInfo(PrincipalType.Root, arn, account);
        }

        if (parts[2] == "iam" && resource.StartsWith("user/", StringComparison.Ordinal))
        {
            return new PrincipalInfo(PrincipalType.User, arn, account);
        }

        if (parts[2] == "sts" && resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var segments = resource.Split('/');
            var roleArn = $"arn:{parts[1]}:iam::{account}:role/{segments[1]}";
            return new PrincipalInfo(PrincipalType.AssumedRole, arn, account) { RoleArn = roleArn };
        }

        if (parts[2] == "sts" && resource.StartsWith("federated-user/", StringComparison.Ordinal))
        {
            return new PrincipalInfo(PrincipalType.FederatedUser, arn, account);
        }

        return new PrincipalInfo(PrincipalType.WebIdentity, arn, account);
    }
}
