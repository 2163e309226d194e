namespace Cloudkeep.Services.Iam;

/// <summary>IAM ARNs ("IAM identifiers": arn:aws:iam::account:user/path/name).</summary>
public static class IamArns
{
    public static string Root(string accountId) => $"arn:aws:iam::{accountId}:root";

    public static string User(string accountId, string path, string name) => $"arn:aws:iam::{accountId}:user{path}{name}";

    public static string Group(string accountId, string path, string name) => $"arn:aws:iam::{accountId}:group{path}{name}";

    public static string Role(string accountId, string path, string name) => $"arn:aws:iam::{accountId}:role{path}{name}";

    public static string Policy(string accountId, string path, string name) => $"arn:aws:iam::{accountId}:policy{path}{name}";

    public static string Mfa(string accountId, string path, string name) => $"arn:aws:iam::{accountId}:mfa{path}{name}";

    public static string AssumedRole(string accountId, string roleName, string sessionName) => $"arn:aws:sts::{accountId}:assumed-role/{roleName}/{sessionName}";

    /// <summary>The account field of an ARN (empty for a malformed one).</summary>
    public static string AccountOf(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 ? parts[4] : "";
    }

    /// <summary>arn:aws:iam::ACCOUNT:policy/path/NAME → (ACCOUNT, NAME); AWS managed policies have account "aws".</summary>
    public static bool TryParsePolicyArn(string arn, out string accountId, out string name) =>
        TryParse(arn, "policy", out accountId, out name);

    public static bool TryParseRoleArn(string arn, out string accountId, out string name) =>
        TryParse(arn, "role", out accountId, out name);

    public static bool TryParseUserArn(string arn, out string accountId, out string name) =>
        TryParse(arn, "user", out accountId, out name);

    public static bool TryParseMfaArn(string arn, out string accountId, out string name) =>
        TryParse(arn, "mfa", out accountId, out name);

    private static bool TryParse(string arn, string resourceType, out string accountId, out string name)
    {
        accountId = name = "";
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[5].StartsWith(resourceType + "/", StringComparison.Ordinal))
        {
            return false;
        }

        accountId = parts[4];
        var resource = parts[5][(resourceType.Length + 1)..];
        name = resource[(resource.LastIndexOf('/') + 1)..];
        return name.Length > 0;
    }
}
