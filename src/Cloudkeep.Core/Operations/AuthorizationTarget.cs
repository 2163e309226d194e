using Cloudkeep.Policy;

namespace Cloudkeep.Core.Operations;

/// <summary>
/// What an operation asks of the policy engine: its IAM action, the resource ARN(s) it touches, the
/// service-specific condition keys of this request and, for resources that have one, the resource
/// policy (a bucket policy, a role's trust policy, a KMS key policy). Declared by the operation,
/// checked once by the pipeline's authorization step.
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

    /// <summary>
    /// With <see cref="RequiresNoPermission"/>: an unsigned request may do it too, because what it
    /// carries proves its right (SNS's SubscribeURL holds the confirmation token; an
    /// UnsubscribeURL names a subscription ARN no one can guess).
    /// </summary>
    public bool AnonymousAllowed { get; init; }

    /// <summary>
    /// A denied resource does not refuse the request: it is added to the request's
    /// <see cref="OperationRequest.DeniedResources"/> for the operation to answer (S3 DeleteObjects
    /// reports each denied key as AccessDenied, as AWS does).
    /// </summary>
    public bool AnswersDeniedResources { get; init; }

    /// <summary>
    /// The account the caller must belong to, whatever its policies allow: most Organizations
    /// operations answer AccessDeniedException ("You don't have permissions to access this
    /// resource") to any caller outside the management account. Checked after the policies.
    /// </summary>
    public string? CallerAccountRequired { get; init; }

    /// <summary>
    /// A refusal the operation's own guard found while describing the request (S3's block public
    /// access settings, STS's "roles may not be assumed by root accounts"): answered whatever the
    /// policies say.
    /// </summary>
    public Errors.AwsException? Refusal { get; init; }

    /// <summary>
    /// The answer when this target is denied, instead of AccessDenied: KMS's key policy lockout
    /// safety check is a check of the new policy for the caller, answered as MalformedPolicyDocumentException.
    /// </summary>
    public Errors.AwsException? DeniedAs { get; init; }

    /// <summary>The account that owns the resource; null means the caller's own account.</summary>
    public string? ResourceAccount { get; init; }

    /// <summary>The resource's policy, compiled; null when the resource has none.</summary>
    public CompiledPolicy? ResourcePolicy { get; init; }

    /// <summary>
    /// True where AWS requires the resource policy to allow (role trust policies for sts:AssumeRole,
    /// KMS key policies): identity policies alone are then not enough.
    /// </summary>
    public bool ResourcePolicyRequired { get; init; }

    /// <summary>
    /// Further checks the same request must pass, each with its own action, resource and policy:
    /// S3 CopyObject reads the source (s3:GetObject on the source bucket's policy) and writes the
    /// destination (s3:PutObject on the destination's); kms:ReEncrypt needs kms:ReEncryptFrom on the
    /// source key and kms:ReEncryptTo on the destination.
    /// </summary>
    public IReadOnlyList<AuthorizationTarget> AlsoRequired { get; init; } = [];

    public static AuthorizationTarget NoPermissionRequired(string action) =>
        new(action, ["*"]) { RequiresNoPermission = true };
}
