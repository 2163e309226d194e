namespace Cloudkeep.Policy;

/// <summary>The AWS error codes a rejected policy document maps to.</summary>
public enum PolicyErrorCode
{
    MalformedPolicyDocument,
    LimitExceeded,
    PolicyTooLarge,
    PackedPolicyTooLarge,
}
