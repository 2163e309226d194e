namespace Cloudkeep.Policy;

/// <summary>
/// How a resource policy statement's Principal matched the caller. The distinction drives the same-account rules:
/// naming the account delegates to IAM policies; naming the caller's own user or session ARN grants on its own even
/// past permissions boundaries and session policies; naming the role (not the session) or "*" grants without an
/// identity policy but stays limited by them.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
/// </summary>
internal enum PrincipalMatch
{
    None = 0,
    Account = 1,
    Direct = 2,
    Exact = 3,
}
