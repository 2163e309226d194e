using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Billing;

/// <summary>Cost Explorer's errors: the model's exception shapes and the ValidationException every AWS JSON service answers bad input with.</summary>
public static class CostExplorerErrors
{
    public static readonly AwsError Validation =
        new("ValidationException", 400, ErrorFault.Sender, "Validation failed.");

    public static readonly AwsError DataUnavailable =
        new("DataUnavailableException", 400, ErrorFault.Sender, "Data is not available for the requested time period.");

    public static readonly AwsError InvalidNextToken =
        new("InvalidNextTokenException", 400, ErrorFault.Sender, "The pagination token is invalid.");

    public static readonly AwsError RequestChanged =
        new("RequestChangedException", 400, ErrorFault.Sender, "Your request parameters changed between pages. Try again with the old parameters or without a pagination token.");

    public static readonly AwsError LimitExceeded =
        new("LimitExceededException", 400, ErrorFault.Sender, "You made too many calls in a short period of time.");
}
