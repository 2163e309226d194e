namespace Cloudkeep.Core.Errors;

/// <summary>
/// S3 names some authentication failures differently from the query and JSON services
/// ("Error Responses" in the Amazon S3 API reference).
/// </summary>
public static class S3AuthErrors
{
    public static readonly AwsError InvalidToken =
        new("InvalidToken", 400, ErrorFault.Sender, "The provided token is malformed or otherwise invalid.");

    public static readonly AwsError ExpiredToken =
        new("ExpiredToken", 400, ErrorFault.Sender, "The provided token has expired.");

    public static readonly AwsError InvalidUri =
        new("InvalidURI", 400, ErrorFault.Sender, "Couldn't parse the specified URI.");

    public static readonly AwsError MalformedXml =
        new("MalformedXML", 400, ErrorFault.Sender, "The XML you provided was not well-formed or did not validate against our published schema");

    public static readonly AwsError InvalidAccessKeyId =
        new("InvalidAccessKeyId", 403, ErrorFault.Sender, "The AWS Access Key Id you provided does not exist in our records.");

    public static readonly AwsError AuthorizationHeaderMalformed =
        new("AuthorizationHeaderMalformed", 400, ErrorFault.Sender, "The authorization header is malformed.");

    public static readonly AwsError AuthorizationQueryParametersError =
        new("AuthorizationQueryParametersError", 400, ErrorFault.Sender, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");

    public static readonly AwsError XAmzContentSHA256Mismatch =
        new("XAmzContentSHA256Mismatch", 400, ErrorFault.Sender, "The provided 'x-amz-content-sha256' header does not match what was computed.");

    public static readonly AwsError InvalidArgument =
        new("InvalidArgument", 400, ErrorFault.Sender, "Invalid Argument");

    public static readonly AwsError InvalidRequest =
        new("InvalidRequest", 400, ErrorFault.Sender, "Invalid Request");

    public static readonly AwsError IncompleteBody =
        new("IncompleteBody", 400, ErrorFault.Sender, "You did not provide the number of bytes specified by the Content-Length HTTP header.");

    public static readonly AwsError BadDigest =
        new("BadDigest", 400, ErrorFault.Sender, "The Content-MD5 or checksum value that you specified did not match what the server received.");

    public static readonly AwsError MethodNotAllowed =
        new("MethodNotAllowed", 405, ErrorFault.Sender, "The specified method is not allowed against this resource.");

    public static readonly AwsError MaxMessageLengthExceeded =
        new("MaxMessageLengthExceeded", 400, ErrorFault.Sender, "Your request was too big.");

    public static readonly AwsError RequestHeaderSectionTooLarge =
        new("RequestHeaderSectionTooLarge", 400, ErrorFault.Sender, "Your request header section exceeds the maximum allowed size.");
}
