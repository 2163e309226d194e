using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Cloudkeep.Client;

namespace Cloudkeep.Auth;

/// <summary>
/// STS clients through the AWS SDK for .NET, so `cloudkeep auth` works against AWS itself as well
/// as against Cloudkeep. Everything is given explicitly: the SDK must not resolve a profile of its own.
/// </summary>
internal static class StsClientFactory
{
    public static AmazonSecurityTokenServiceClient Create(TemporaryCredentials credentials, string? region, string? endpoint, string? caBundle = null)
    {
        AWSCredentials sdkCredentials = credentials.SessionToken is null
            ? new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey)
            : new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        var config = new AmazonSecurityTokenServiceConfig { MaxErrorRetry = 2 };
        try
        {
            CaBundle.Apply(config, caBundle);
        }
        catch (InvalidOperationException e)
        {
            throw new AuthException(e.Message);
        }

        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else
        {
            // Without a region the AWS CLI signs for us-east-1 against the global endpoint.
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region ?? "us-east-1");
        }

        return new AmazonSecurityTokenServiceClient(sdkCredentials, config);
    }
}
