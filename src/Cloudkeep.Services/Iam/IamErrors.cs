using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Iam;

/// <summary>IAM's errors, as its model and API reference declare them.</summary>
public static class IamErrors
{
    public static readonly AwsError EntityAlreadyExists = new("EntityAlreadyExists", 409, ErrorFault.Sender, "The entity already exists.");
    public static readonly AwsError NoSuchEntity = new("NoSuchEntity", 404, ErrorFault.Sender, "The entity does not exist.");
    public static readonly AwsError DeleteConflict = new("DeleteConflict", 409, ErrorFault.Sender, "Cannot delete entity, must remove referenced objects first.");
    public static readonly AwsError LimitExceeded = new("LimitExceeded", 409, ErrorFault.Sender, "A limit was exceeded.");
    public static readonly AwsError MalformedPolicyDocument = new("MalformedPolicyDocument", 400, ErrorFault.Sender, "The policy document is malformed.");
    public static readonly AwsError InvalidInput = new("InvalidInput", 400, ErrorFault.Sender, "The input is not valid.");
    public static readonly AwsError InvalidAuthenticationCode = new("InvalidAuthenticationCode", 403, ErrorFault.Sender, "Authentication code for device is not valid.");
    public static readonly AwsError PasswordPolicyViolation = new("PasswordPolicyViolation", 400, ErrorFault.Sender, "The password does not conform to the account password policy.");
    public static readonly AwsError ConcurrentModification = new("ConcurrentModification", 409, ErrorFault.Sender, "The entity was changed by another request; retry.");

    public static AwsException NoSuchUser(string name) => NoSuchEntity.ToException($"The user with name {name} cannot be found.");

    public static AwsException NoSuchGroup(string name) => NoSuchEntity.ToException($"The group with name {name} cannot be found.");

    public static AwsException NoSuchRole(string name) => NoSuchEntity.ToException($"The role with name {name} cannot be found.");

    public static AwsException NoSuchPolicy(string arn) => NoSuchEntity.ToException($"Policy {arn} does not exist or is not attachable.");
}
