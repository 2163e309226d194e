namespace Cloudkeep.Policy;

/// <summary>
/// Size limits per policy kind, with the error AWS returns when they are exceeded.
/// IAM quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
/// (IAM does not count white space). S3 bucket policies are limited to 20 KB:
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html ; KMS key policies to 32 KB:
/// https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html ; SCPs to 5,120 characters:
/// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html ; session policies
/// passed to STS to 2,048 characters: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
/// </summary>
internal static class PolicyLimits
{
    // Anything beyond this is never a policy: reject before the JSON reader sees it.
    public const int AbsoluteMaxChars = 128 * 1024;

    public const int MaxDepth = 16;

    public static int MaxSize(PolicyKind kind) => kind switch
    {
        PolicyKind.ManagedIdentity => 6_144,
        PolicyKind.InlineUser => 2_048,
        PolicyKind.InlineGroup => 5_120,
        PolicyKind.InlineRole => 10_240,
        PolicyKind.TrustPolicy => 2_048,
        PolicyKind.Bucket => 20 * 1024,
        PolicyKind.KmsKey => 32 * 1024,
        PolicyKind.Scp => 5_120,
        PolicyKind.SessionPolicy => 2_048,
        PolicyKind.Boundary => 6_144,
        PolicyKind.SnsTopic => 30 * 1024,
        _ => 6_144,
    };

    // IAM measures characters without white space; S3, KMS and SNS measure the document as sent.
    public static int MeasureSize(string json, PolicyKind kind)
    {
        if (kind is PolicyKind.Bucket or PolicyKind.KmsKey or PolicyKind.SnsTopic)
        {
            return System.Text.Encoding.UTF8.GetByteCount(json);
        }

        var count = 0;
        foreach (var c in json)
        {
            if (!char.IsWhiteSpace(c))
            {
                count++;
            }
        }

        return count;
    }

    public static PolicyError SizeError(PolicyKind kind, int max) => kind switch
    {
        PolicyKind.ManagedIdentity or PolicyKind.Boundary =>
            new(PolicyErrorCode.LimitExceeded, $"Cannot exceed quota for PolicySize: {max}"),
        PolicyKind.InlineUser => new(PolicyErrorCode.LimitExceeded, $"Maximum policy size of {max} bytes exceeded for user"),
        PolicyKind.InlineGroup => new(PolicyErrorCode.LimitExceeded, $"Maximum policy size of {max} bytes exceeded for group"),
        PolicyKind.InlineRole => new(PolicyErrorCode.LimitExceeded, $"Maximum policy size of {max} bytes exceeded for role"),
        PolicyKind.TrustPolicy => new(PolicyErrorCode.LimitExceeded, $"Cannot exceed quota for ACLSizePerRole: {max}"),
        PolicyKind.Bucket => new(PolicyErrorCode.PolicyTooLarge, "Policies must be less than 20 KB"),
        PolicyKind.KmsKey => new(PolicyErrorCode.MalformedPolicyDocument, "The new key policy exceeds the maximum size of 32 KB."),
        PolicyKind.Scp => new(PolicyErrorCode.LimitExceeded, "You attempted to create or update a policy with content that exceeds the size limit."),
        PolicyKind.SnsTopic => new(PolicyErrorCode.MalformedPolicyDocument, "Invalid parameter: Policy Error: Policy size exceeds the 30 KB limit"),
        PolicyKind.SessionPolicy => new(PolicyErrorCode.PackedPolicyTooLarge, "Packed policy consumes more than 100 percent of the allotted space."),
        _ => new(PolicyErrorCode.LimitExceeded, $"Cannot exceed quota for PolicySize: {max}"),
    };

    public static bool IsIdentityKind(PolicyKind kind) => kind is PolicyKind.ManagedIdentity or PolicyKind.InlineUser
        or PolicyKind.InlineGroup or PolicyKind.InlineRole or PolicyKind.Scp or PolicyKind.SessionPolicy or PolicyKind.Boundary;

    public static bool IsIamKind(PolicyKind kind) => kind is not (PolicyKind.Bucket or PolicyKind.KmsKey or PolicyKind.Scp or PolicyKind.SnsTopic);
}
