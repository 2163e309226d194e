using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Organizations;

/// <summary>Organizations' errors: the JSON protocol names them by their model shape.</summary>
public static class OrganizationsErrors
{
    public static readonly AwsError AccessDenied = new("AccessDeniedException", 400, ErrorFault.Sender, "You don't have permissions to access this resource.");
    public static readonly AwsError AccountNotFound = new("AccountNotFoundException", 400, ErrorFault.Sender, "We can't find an AWS account with the AccountId that you specified.");
    public static readonly AwsError AlreadyInOrganization = new("AlreadyInOrganizationException", 400, ErrorFault.Sender, "The AWS account is already a member of an organization.");
    public static readonly AwsError CreateAccountStatusNotFound = new("CreateAccountStatusNotFoundException", 400, ErrorFault.Sender, "We can't find a create account request with the CreateAccountRequestId that you specified.");
    public static readonly AwsError DuplicateAccount = new("DuplicateAccountException", 400, ErrorFault.Sender, "That account is already present in the specified destination.");
    public static readonly AwsError ConcurrentModification = new("ConcurrentModificationException", 400, ErrorFault.Sender, "The target of the operation is currently being modified by a different request. Try again later.");
    public static readonly AwsError ConstraintViolation = new("ConstraintViolationException", 400, ErrorFault.Sender, "The requested operation would violate a constraint of the organization.");
    public static readonly AwsError ParentNotFound = new("ParentNotFoundException", 400, ErrorFault.Sender, "We can't find a root or OU with the ParentId that you specified.");
    public static readonly AwsError UnitNotFound = new("OrganizationalUnitNotFoundException", 400, ErrorFault.Sender, "We can't find an OU with the OrganizationalUnitId that you specified.");
    public static readonly AwsError DuplicateUnit = new("DuplicateOrganizationalUnitException", 400, ErrorFault.Sender, "An OU with the same name already exists.");
    public static readonly AwsError UnitNotEmpty = new("OrganizationalUnitNotEmptyException", 400, ErrorFault.Sender, "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.");
    public static readonly AwsError SourceParentNotFound = new("SourceParentNotFoundException", 400, ErrorFault.Sender, "We can't find a source root or OU with the ParentId that you specified.");
    public static readonly AwsError DestinationParentNotFound = new("DestinationParentNotFoundException", 400, ErrorFault.Sender, "We can't find the destination container (a root or OU) with the ParentId that you specified.");
    public static readonly AwsError ChildNotFound = new("ChildNotFoundException", 400, ErrorFault.Sender, "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
    public static readonly AwsError PolicyNotFound = new("PolicyNotFoundException", 400, ErrorFault.Sender, "We can't find a policy with the PolicyId that you specified.");
    public static readonly AwsError TargetNotFound = new("TargetNotFoundException", 400, ErrorFault.Sender, "We can't find a root, OU, account, or email address with the TargetId that you specified.");
    public static readonly AwsError DuplicatePolicyAttachment = new("DuplicatePolicyAttachmentException", 400, ErrorFault.Sender, "The selected policy is already attached to the specified target.");
    public static readonly AwsError PolicyNotAttached = new("PolicyNotAttachedException", 400, ErrorFault.Sender, "The policy isn't attached to the specified target in the specified root.");
    public static readonly AwsError PolicyInUse = new("PolicyInUseException", 400, ErrorFault.Sender, "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.");
    public static readonly AwsError MalformedPolicy = new("MalformedPolicyDocumentException", 400, ErrorFault.Sender, "The provided policy document doesn't meet the requirements of the specified policy type.");
    public static readonly AwsError DuplicatePolicy = new("DuplicatePolicyException", 400, ErrorFault.Sender, "A policy with the same name already exists.");
    public static readonly AwsError PolicyTypeNotEnabled = new("PolicyTypeNotEnabledException", 400, ErrorFault.Sender, "This operation can be performed only for enabled policy types.");
    public static readonly AwsError RootNotFound = new("RootNotFoundException", 400, ErrorFault.Sender, "We can't find a root with the RootId that you specified.");
    public static readonly AwsError PolicyTypeAlreadyEnabled = new("PolicyTypeAlreadyEnabledException", 400, ErrorFault.Sender, "The specified policy type is already enabled.");
    public static readonly AwsError PolicyTypeNotAvailable = new("PolicyTypeNotAvailableForOrganizationException", 400, ErrorFault.Sender, "You can't use the specified policy type with the feature set currently enabled for this organization.");
    public static readonly AwsError InvalidInput = new("InvalidInputException", 400, ErrorFault.Sender, "The requested operation failed because you provided invalid values for one or more of the request parameters.");

    /// <summary>
    /// InvalidInputException and ConstraintViolationException carry a Reason member next to the
    /// message (the model's *ExceptionReason enums), which SDKs surface to callers.
    /// </summary>
    public static AwsException WithReason(AwsError error, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new AwsException(error, message) { Fields = [new("Reason", reason)] };
    }
}
