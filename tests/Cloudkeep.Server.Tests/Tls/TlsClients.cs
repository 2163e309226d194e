using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Tls;

/// <summary>AWS SDK for .NET clients that reach a TLS test server trusting only its certificate.</summary>
internal static class TlsClients
{
    public static AmazonSecurityTokenServiceClient Sts(TestServer server, string pemFile) =>
        new(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = server.Endpoint,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
            HttpClientFactory = new PinnedCertificateHttpClientFactory(pemFile),
        });

    public static AmazonS3Client S3(TestServer server, string pemFile) =>
        S3(server, pemFile, new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey));

    public static AmazonS3Client S3(TestServer server, string pemFile, AWSCredentials credentials) =>
        new(credentials, new AmazonS3Config
        {
            ServiceURL = server.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
            HttpClientFactory = new PinnedCertificateHttpClientFactory(pemFile),
        });

    /// <summary>The AWS CLI as a user runs it against the server, with the given CA bundle (or none).</summary>
    public static Task<ProcessRunner.Result> AwsCliAsync(string endpoint, string? caBundle, string workingDirectory, string script) =>
        AwsCli.ShellAsync(endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, workingDirectory,
            (caBundle is null ? "unset AWS_CA_BUNDLE\n" : $"export AWS_CA_BUNDLE='{caBundle}'\n") + script);
}
