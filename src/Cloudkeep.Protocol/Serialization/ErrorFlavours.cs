using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// Some failures have a different name in each protocol: the caller's domain code throws the one
/// error, and the response is written with the protocol's name for it. S3 says InvalidAccessKeyId,
/// InvalidToken and ExpiredToken (400) where the query services say InvalidClientTokenId and
/// ExpiredToken (403) ("Error Responses", Amazon S3 API reference); the JSON services say
/// AccessDeniedException where the query services say AccessDenied, and SNS AuthorizationError.
/// </summary>
public static class ErrorFlavours
{
    public static AwsException For(ServiceProtocol protocol, AwsException error, string? signingName = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var flavour = protocol switch
        {
            // SNS names a refused authorization AuthorizationError (403), its model's AuthorizationErrorException.
            ServiceProtocol.Query when signingName == "sns" && error.Error == CommonErrors.AccessDenied => CommonErrors.SnsAuthorizationError,
            ServiceProtocol.RestXml when error.Error == CommonErrors.InvalidClientTokenId => S3AuthErrors.InvalidAccessKeyId,
            ServiceProtocol.RestXml when error.Error == CommonErrors.InvalidSessionToken => S3AuthErrors.InvalidToken,
            ServiceProtocol.RestXml when error.Error == CommonErrors.ExpiredToken => S3AuthErrors.ExpiredToken,
            ServiceProtocol.Json or ServiceProtocol.RpcV2Cbor when error.Error == CommonErrors.AccessDenied => CommonErrors.JsonAccessDenied,
            _ => null,
        };
        if (flavour is null)
        {
            return error;
        }

        // A message the thrower wrote stays; the default message is the flavour's own.
        var message = error.Message == error.Error.DefaultMessage ? flavour.DefaultMessage : error.Message;
        return new AwsException(flavour, message) { Fields = error.Fields, Headers = error.Headers };
    }
}
