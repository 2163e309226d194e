namespace Cloudkeep.Core.Operations;

/// <summary>
/// What an operation asks of the policy engine: its IAM action, the resource ARN(s) it touches and
/// the service-specific condition keys of this request. Declared by the operation, checked once by
/// the pipeline's authorization step.
/// </summary>
public sealed record AuthorizationTarget(
    string Action,
    IReadOnlyList<string> Resources,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? ConditionKeys = null)
{
    /// <summary>
    /// Operations AWS answers for any authenticated caller whatever the policies say
    /// (sts:GetCallerIdentity: "No permissions are required to perform this operation").
    /// </summary>
    public bool RequiresNoPermission { get; init; }

    public static AuthorizationTarget NoPermissionRequired(string action) =>
        new(action, ["*"]) { RequiresNoPermission = true };
}
