using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// SNS's errors: codes and statuses from the 2010-03-31 model, messages as SNS words them
/// ("Invalid parameter: ..."). SNS answers a refused authorization as AuthorizationError (403),
/// which the error writer applies to the pipeline's AccessDenied.
/// </summary>
public static class SnsErrors
{
    public static readonly AwsError InvalidParameter =
        new("InvalidParameter", 400, ErrorFault.Sender, "Invalid parameter");

    public static readonly AwsError ParameterValueInvalid =
        new("ParameterValueInvalid", 400, ErrorFault.Sender, "Invalid parameter value");

    public static readonly AwsError AuthorizationError = CommonErrors.SnsAuthorizationError;

    public static readonly AwsError NotFound =
        new("NotFound", 404, ErrorFault.Sender, "Topic does not exist");

    public static readonly AwsError ResourceNotFound =
        new("ResourceNotFound", 404, ErrorFault.Sender, "Resource does not exist");

    public static readonly AwsError TagLimitExceeded =
        new("TagLimitExceeded", 400, ErrorFault.Sender, "Could not complete request: tag quota of per resource exceeded");

    public static readonly AwsError TopicLimitExceeded =
        new("TopicLimitExceeded", 403, ErrorFault.Sender, "Topic limit exceeded");

    public static readonly AwsError SubscriptionLimitExceeded =
        new("SubscriptionLimitExceeded", 403, ErrorFault.Sender, "Subscription limit exceeded");

    public static readonly AwsError FilterPolicyLimitExceeded =
        new("FilterPolicyLimitExceeded", 403, ErrorFault.Sender, "Filter policy limit exceeded");

    public static readonly AwsError EmptyBatchRequest =
        new("EmptyBatchRequest", 400, ErrorFault.Sender, "The batch request doesn't contain any entries.");

    public static readonly AwsError TooManyEntriesInBatchRequest =
        new("TooManyEntriesInBatchRequest", 400, ErrorFault.Sender, "The batch request contains more entries than permissible.");

    public static readonly AwsError BatchEntryIdsNotDistinct =
        new("BatchEntryIdsNotDistinct", 400, ErrorFault.Sender, "Two or more batch entries in the request have the same Id.");

    public static readonly AwsError InvalidBatchEntryId =
        new("InvalidBatchEntryId", 400, ErrorFault.Sender, "The Id of a batch entry in a batch request doesn't abide by the specification.");

    public static readonly AwsError BatchRequestTooLong =
        new("BatchRequestTooLong", 400, ErrorFault.Sender, "The length of all the messages put together is more than the limit.");

    /// <summary>"Invalid parameter: {what}", SNS's one shape for a refused input.</summary>
    public static AwsException Invalid(string what) => InvalidParameter.ToException("Invalid parameter: " + what);
}
