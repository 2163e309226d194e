namespace Cloudkeep.Core.Errors;

/// <summary>
/// Errors every AWS service shares (authentication, protocol, throttling). Codes, statuses and
/// fault sides follow "Common Errors" in the AWS API references (e.g. the STS and IAM references).
/// </summary>
public static class CommonErrors
{
    public static readonly AwsError AccessDenied =
        new("AccessDenied", 403, ErrorFault.Sender, "Access Denied");

    public static readonly AwsError IncompleteSignature =
        new("IncompleteSignature", 400, ErrorFault.Sender, "The request signature does not conform to AWS standards.");

    /// <summary>A session token that does not open, or belongs to another key (S3 calls it InvalidToken).</summary>
    public static readonly AwsError InvalidSessionToken =
        new("InvalidClientTokenId", 403, ErrorFault.Sender, "The security token included in the request is invalid.");

    public static readonly AwsError MissingAction =
        new("MissingAction", 400, ErrorFault.Sender, "Missing Action");

    /// <summary>The JSON services' name for a request that fails the model's constraints.</summary>
    public static readonly AwsError JsonValidation =
        new("ValidationException", 400, ErrorFault.Sender, "Validation failed.");

    /// <summary>The JSON services' name for AccessDenied (KMS, Organizations).</summary>
    public static readonly AwsError JsonAccessDenied =
        new("AccessDeniedException", 400, ErrorFault.Sender, "Access Denied");

    /// <summary>SNS's name for AccessDenied.</summary>
    public static readonly AwsError SnsAuthorizationError =
        new("AuthorizationError", 403, ErrorFault.Sender, "User is not authorized to perform this action");

    /// <summary>S3's name for an unexpected failure on its side.</summary>
    public static readonly AwsError InternalError =
        new("InternalError", 500, ErrorFault.Receiver, "We encountered an internal error. Please try again.");

    public static readonly AwsError InternalFailure =
        new("InternalFailure", 500, ErrorFault.Receiver, "The request processing has failed because of an unknown error, exception or failure.");

    public static readonly AwsError InvalidAction =
        new("InvalidAction", 400, ErrorFault.Sender, "The action or operation requested is invalid. Verify that the action is typed correctly.");

    public static readonly AwsError InvalidClientTokenId =
        new("InvalidClientTokenId", 403, ErrorFault.Sender, "The security token included in the request is invalid.");

    public static readonly AwsError InvalidParameterValue =
        new("InvalidParameterValue", 400, ErrorFault.Sender, "An invalid or out-of-range value was supplied for the input parameter.");

    public static readonly AwsError MissingParameter =
        new("MissingParameter", 400, ErrorFault.Sender, "A required parameter for the specified action is not supplied.");

    public static readonly AwsError MalformedQueryString =
        new("MalformedQueryString", 404, ErrorFault.Sender, "The query string contains a syntax error.");

    public static readonly AwsError MissingAuthenticationToken =
        new("MissingAuthenticationToken", 403, ErrorFault.Sender, "Request is missing Authentication Token");

    public static readonly AwsError NotImplemented =
        new("NotImplemented", 501, ErrorFault.Receiver, "A header or operation you provided implies functionality that is not implemented.");

    public static readonly AwsError RequestExpired =
        new("RequestExpired", 400, ErrorFault.Sender, "Request has expired.");

    public static readonly AwsError ExpiredToken =
        new("ExpiredToken", 403, ErrorFault.Sender, "The security token included in the request is expired");

    public static readonly AwsError SignatureDoesNotMatch =
        new("SignatureDoesNotMatch", 403, ErrorFault.Sender, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    public static readonly AwsError RequestTimeTooSkewed =
        new("RequestTimeTooSkewed", 403, ErrorFault.Sender, "The difference between the request time and the current time is too large.");

    public static readonly AwsError ValidationError =
        new("ValidationError", 400, ErrorFault.Sender, "The input fails to satisfy the constraints specified by an AWS service.");

    public static readonly AwsError RequestEntityTooLarge =
        new("RequestEntityTooLarge", 413, ErrorFault.Sender, "Request body is too large.");

    public static readonly AwsError UnknownService =
        new("UnknownService", 400, ErrorFault.Sender, "The request could not be routed to a known service.");

    public static readonly AwsError ServiceUnavailable =
        new("ServiceUnavailable", 503, ErrorFault.Receiver, "The service is shutting down; retry the request.");

    /// <summary>JSON-protocol services name an unknown target this way.</summary>
    public static readonly AwsError UnknownOperation =
        new("UnknownOperationException", 400, ErrorFault.Sender, "The requested operation is not recognized.");

    /// <summary>JSON-protocol services answer a body that is not JSON (or not the shape) this way.</summary>
    public static readonly AwsError Serialization =
        new("SerializationException", 400, ErrorFault.Sender, "The request body could not be parsed.");
}
