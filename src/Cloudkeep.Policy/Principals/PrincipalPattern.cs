namespace Cloudkeep.Policy;

/// <summary>
/// One compiled entry of a Principal / NotPrincipal element.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
/// </summary>
internal sealed record PrincipalPattern(PrincipalPatternKind Kind, string Value)
{
    public PrincipalMatch Match(PrincipalInfo caller) => Kind switch
    {
        // "*" and {"AWS": "*"} are equivalent and include anonymous callers.
        PrincipalPatternKind.Everyone => PrincipalMatch.Direct,
        PrincipalPatternKind.Account => caller.IsAuthenticatedInAccount && caller.AccountId == Value
            ? PrincipalMatch.Account : PrincipalMatch.None,
        PrincipalPatternKind.Role => caller.Type == PrincipalType.AssumedRole && caller.RoleArn == Value
            ? PrincipalMatch.Direct : PrincipalMatch.None,
        PrincipalPatternKind.ExactArn => caller.IsAuthenticatedInAccount && caller.Arn == Value
            ? PrincipalMatch.Exact : PrincipalMatch.None,
        PrincipalPatternKind.Service => caller.Type == PrincipalType.Service
            && string.Equals(caller.Arn, Value, StringComparison.OrdinalIgnoreCase) ? PrincipalMatch.Direct : PrincipalMatch.None,
        PrincipalPatternKind.Federated => caller.Type == PrincipalType.WebIdentity && caller.Arn == Value
            ? PrincipalMatch.Direct : PrincipalMatch.None,
        PrincipalPatternKind.CanonicalUser => caller.CanonicalUserId == Value ? PrincipalMatch.Exact : PrincipalMatch.None,
        _ => PrincipalMatch.None,
    };

    /// <summary>Parses an entry of the "AWS" list; null when AWS would answer "Invalid principal in policy".</summary>
    public static PrincipalPattern? ParseAws(string value)
    {
        if (value == "*")
        {
            return new(PrincipalPatternKind.Everyone, value);
        }

        if (IsAccountId(value))
        {
            return new(PrincipalPatternKind.Account, value);
        }

        // Partial wildcards are never allowed in a principal.
        if (value.Contains('*', StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = value.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || !IsAccountId(parts[4]) || parts[3].Length != 0)
        {
            return null;
        }

        var resource = parts[5];
        return parts[2] switch
        {
            "iam" when resource == "root" => new(PrincipalPatternKind.Account, parts[4]),
            "iam" when resource.StartsWith("user/", StringComparison.Ordinal) && resource.Length > 5 => new(PrincipalPatternKind.ExactArn, value),
            "iam" when resource.StartsWith("role/", StringComparison.Ordinal) && resource.Length > 5 => new(PrincipalPatternKind.Role, value),
            "sts" when resource.StartsWith("assumed-role/", StringComparison.Ordinal) && resource.Count(c => c == '/') >= 2 => new(PrincipalPatternKind.ExactArn, value),
            "sts" when resource.StartsWith("federated-user/", StringComparison.Ordinal) && resource.Length > 15 => new(PrincipalPatternKind.ExactArn, value),
            _ => null,
        };
    }

    public static bool IsAccountId(string value) => value.Length == 12 && value.All(char.IsAsciiDigit);
}
