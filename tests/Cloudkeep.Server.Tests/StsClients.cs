using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>Real AWS SDK for .NET clients pointed at a test server.</summary>
internal static class StsClients
{
    public static AmazonSecurityTokenServiceClient Sts(TestServer server, string? keyId = null, string? secret = null) =>
        new(new BasicAWSCredentials(keyId ?? TestServer.RootAccessKeyId, secret ?? TestServer.RootSecretAccessKey), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = server.Endpoint,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
        });

    public static AmazonS3Client S3(TestServer server) =>
        new(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonS3Config
        {
            ServiceURL = server.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
        });
}
