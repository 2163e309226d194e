using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Sts;

/// <summary>STS's own errors (AWS STS API Reference, "Errors" of each action).</summary>
public static class StsErrors
{
    public static readonly AwsError InvalidAuthorizationMessage =
        new("InvalidAuthorizationMessageException", 400, ErrorFault.Sender, "The error returned if the message passed to DecodeAuthorizationMessage was invalid.");

    public static readonly AwsError ExpiredToken =
        new("ExpiredTokenException", 400, ErrorFault.Sender, "The security token included in the request is expired");

    public static readonly AwsError MalformedPolicyDocument =
        new("MalformedPolicyDocument", 400, ErrorFault.Sender, "The request was rejected because the policy document was malformed.");

    public static readonly AwsError PackedPolicyTooLarge =
        new("PackedPolicyTooLarge", 400, ErrorFault.Sender, "The request was rejected because the total packed size of the session policies and session tags combined was too large.");

    public static readonly AwsError RegionDisabled =
        new("RegionDisabledException", 403, ErrorFault.Sender, "STS is not activated in the requested region for the account that is being asked to generate credentials.");
}
