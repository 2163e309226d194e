using Amazon.Runtime;
using Amazon.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>AWSSDK.S3 clients against a test server: path-style, eu-west-1, no retries, the SDK's default checksum behaviour.</summary>
internal static class S3Clients
{
    public static AmazonS3Client Root(TestServer server) =>
        For(server, new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey));

    public static AmazonS3Client For(TestServer server, AWSCredentials credentials) =>
        new(credentials, new AmazonS3Config
        {
            ServiceURL = server.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
        });

    public static AmazonS3Client For(TestServer server, Cli cli) =>
        For(server, cli.SessionToken is null ? new BasicAWSCredentials(cli.AccessKeyId, cli.SecretAccessKey) : new SessionAWSCredentials(cli.AccessKeyId, cli.SecretAccessKey, cli.SessionToken));

    /// <summary>A bucket name unique to one test, so tests sharing a server never collide.</summary>
    public static string UniqueBucket(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
}
