using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests;

/// <summary>
/// The AWS SDK's S3 requests authenticate (S3's single-encoded canonical path, x-amz-content-sha256,
/// aws-chunked uploads with trailing checksums) and reach the operations.
/// </summary>
public sealed class S3SigningTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task DotnetSdk_PutObjectWithOddKey_RoundTrips()
    {
        using var s3 = StsClients.S3(fixture.Server);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "signing-odd-keys" });
        const string key = "dir/with space/ünïcode+plus=eq&amp!*'().txt";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "signing-odd-keys", Key = key, ContentBody = new string('x', 100_000) });
        using var response = await s3.GetObjectAsync("signing-odd-keys", key);
        using var reader = new StreamReader(response.ResponseStream);
        Assert.Equal(100_000, (await reader.ReadToEndAsync()).Length);
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
