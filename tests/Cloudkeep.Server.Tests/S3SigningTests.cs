using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// Until the S3 operations arrive, the AWS SDK's S3 requests must already authenticate (S3's
/// single-encoded canonical path, x-amz-content-sha256, aws-chunked uploads) and then be told,
/// in S3's error shape, that the operation is not implemented.
/// </summary>
public sealed class S3SigningTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task DotnetSdk_ListBuckets_AuthenticatesThenAnswersNotImplemented()
    {
        using var s3 = StsClients.S3(fixture.Server);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListBucketsAsync(new ListBucketsRequest()));
        Assert.Equal("NotImplemented", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.NotImplemented, error.StatusCode);
    }

    [Fact]
    public async Task DotnetSdk_PutObjectWithOddKey_AuthenticatesThenAnswersNotImplemented()
    {
        using var s3 = StsClients.S3(fixture.Server);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "docs",
            Key = "dir/with space/ünïcode+plus=eq&amp!*'().txt",
            ContentBody = new string('x', 100_000),
        }));
        Assert.Equal("NotImplemented", error.ErrorCode);
    }

    [Fact]
    public async Task DotnetSdk_WrongSecret_IsSignatureDoesNotMatchWithCanonicalRequest()
    {
        using var s3 = new AmazonS3Client(
            new Amazon.Runtime.BasicAWSCredentials(Cloudkeep.Testing.TestServer.RootAccessKeyId, "bad-secret-bad-secret-bad-secret-bad-sec"),
            new AmazonS3Config { ServiceURL = fixture.Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListBucketsAsync(new ListBucketsRequest()));
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
    }
}
