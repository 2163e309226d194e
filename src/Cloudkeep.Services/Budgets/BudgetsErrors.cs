using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Budgets;

/// <summary>Budgets' errors: the exception shapes of its model (budgets 2016-10-20), all answered as 400.</summary>
public static class BudgetsErrors
{
    public static readonly AwsError InvalidParameter =
        new("InvalidParameterException", 400, ErrorFault.Sender, "An error on the client occurred. Typically, the cause is an invalid input value.");

    public static readonly AwsError NotFound =
        new("NotFoundException", 400, ErrorFault.Sender, "We can't locate the resource that you specified.");

    public static readonly AwsError DuplicateRecord =
        new("DuplicateRecordException", 400, ErrorFault.Sender, "The budget name already exists. Budget names must be unique within an account.");

    public static readonly AwsError CreationLimitExceeded =
        new("CreationLimitExceededException", 400, ErrorFault.Sender, "You've exceeded the notification or subscriber limit.");

    public static readonly AwsError AccessDenied =
        new("AccessDeniedException", 400, ErrorFault.Sender, "You are not authorized to use this operation with the given parameters.");

    public static readonly AwsError InvalidNextToken =
        new("InvalidNextTokenException", 400, ErrorFault.Sender, "The pagination token is invalid.");
}
