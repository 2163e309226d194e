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
