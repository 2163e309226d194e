using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>Buckets through the AWS SDK for .NET: names, regions, listing, deletion and the configuration documents.</summary>
public abstract class S3BucketTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("ab")]
    [InlineData("UPPERCASE")]
    [InlineData("under_score")]
    [InlineData("-leading-dash")]
    [InlineData("trailing-dash-")]
    [InlineData("double..dots")]
    [InlineData("192.168.5.4")]
    [InlineData("xn--punycode")]
    [InlineData("name-s3alias")]
    [InlineData("this-name-is-far-too-long-for-a-bucket-because-it-has-64-chars-x")]
    public async Task CreateBucket_InvalidName_IsInvalidBucketName(string name)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync(new PutBucketRequest { BucketName = name }));
        Assert.Equal("InvalidBucketName", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Theory]
    [InlineData("eu-west-1")]
    [InlineData("eu-west-2")]
    [InlineData("us-east-1")]
    public async Task CreateBucket_LocationConstraint_PlacesTheBucketAndItsBytesInThatRegion(string region)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("region");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegion = region == "us-east-1" ? null : S3Region.FindValue(region) });
        var location = await s3.GetBucketLocationAsync(bucket);
        Assert.Equal(region == "us-east-1" ? "" : region, location.Location?.Value ?? "");
        // Larger than the inline threshold, so its bytes go to a file in the region's directory.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(new byte[100_000]) });
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(fixture.Server.DataDirectory, "blobs", region), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CreateBucket_UnknownLocationConstraint_IsInvalidLocationConstraint()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync(new PutBucketRequest { BucketName = S3Clients.UniqueBucket("loc"), BucketRegion = S3Region.FindValue("mars-north-1") }));
        Assert.Equal("InvalidLocationConstraint", error.ErrorCode);
    }

    [Fact]
    public async Task CreateBucket_Twice_IsBucketAlreadyOwnedByYouOutsideUsEast1()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("twice");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegion = S3Region.EUWest1 });
        var again = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegion = S3Region.EUWest1 }));
        Assert.Equal("BucketAlreadyOwnedByYou", again.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task HeadListDeleteBucket_Lifecycle()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("lifecycle");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        Assert.Contains(bucket, (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" });
        var notEmpty = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync(bucket));
        Assert.Equal("BucketNotEmpty", notEmpty.ErrorCode);
        await s3.DeleteObjectAsync(bucket, "k");
        await s3.DeleteBucketAsync(bucket);
        Assert.DoesNotContain(bucket, (await s3.ListBucketsAsync()).Buckets?.Select(b => b.BucketName) ?? []);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
        Assert.Equal("NoSuchBucket", gone.ErrorCode);
    }

    [Fact]
    public async Task BucketDocuments_TaggingCorsOwnershipPublicAccessBlock_RoundTripAndAbsentErrors()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("documents");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });

        Assert.Equal("NoSuchTagSet", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }))).ErrorCode);
        await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = bucket, TagSet = [new Tag { Key = "stage", Value = "production" }] });
        Assert.Equal("production", Assert.Single((await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket })).TagSet).Value);
        var duplicate = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = bucket, TagSet = [new Tag { Key = "a", Value = "1" }, new Tag { Key = "a", Value = "2" }] }));
        Assert.Equal("InvalidTag", duplicate.ErrorCode);

        Assert.Equal("NoSuchCORSConfiguration", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetCORSConfigurationAsync(bucket))).ErrorCode);
        await s3.PutCORSConfigurationAsync(bucket, new CORSConfiguration { Rules = [new CORSRule { AllowedMethods = ["GET"], AllowedOrigins = ["https://www.digitalmarketplace.service.gov.uk"], MaxAgeSeconds = 300 }] });
        Assert.Equal("https://www.digitalmarketplace.service.gov.uk", Assert.Single((await s3.GetCORSConfigurationAsync(bucket)).Configuration.Rules).AllowedOrigins.Single());
        await s3.DeleteCORSConfigurationAsync(bucket);

        // New buckets: ACLs disabled and public access blocked, as on AWS since April 2023.
        var ownership = await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket });
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced, ownership.OwnershipControls.Rules.Single().ObjectOwnership);
        var block = await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket });
        Assert.True(block.PublicAccessBlockConfiguration.BlockPublicPolicy);
        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        Assert.Equal("NoSuchPublicAccessBlockConfiguration", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }))).ErrorCode);
        await s3.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = bucket });
        Assert.Equal("OwnershipControlsNotFoundError", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }))).ErrorCode);
    }

    [Fact]
    public async Task CorsPreflight_MatchesTheRules_OrIsForbidden()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("cors");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutCORSConfigurationAsync(bucket, new CORSConfiguration { Rules = [new CORSRule { AllowedMethods = ["GET", "PUT"], AllowedOrigins = ["https://*.example.org"], AllowedHeaders = ["content-type"], MaxAgeSeconds = 60 }] });
        using var http = new HttpClient();
        using var allowed = new HttpRequestMessage(HttpMethod.Options, $"{fixture.Server.Endpoint}/{bucket}/upload.pdf");
        allowed.Headers.Add("Origin", "https://app.example.org");
        allowed.Headers.Add("Access-Control-Request-Method", "PUT");
        allowed.Headers.Add("Access-Control-Request-Headers", "Content-Type");
        using var ok = await http.SendAsync(allowed);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("https://app.example.org", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PUT", ok.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        using var denied = new HttpRequestMessage(HttpMethod.Options, $"{fixture.Server.Endpoint}/{bucket}/upload.pdf");
        denied.Headers.Add("Origin", "https://evil.example.com");
        denied.Headers.Add("Access-Control-Request-Method", "PUT");
        using var forbidden = await http.SendAsync(denied);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("<Code>AccessForbidden</Code>", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class S3BucketTestsOnSqlite(ServerFixture fixture) : S3BucketTests(fixture), IClassFixture<ServerFixture>;

public sealed class S3BucketTestsOnPostgres(PostgresServerFixture fixture) : S3BucketTests(fixture), IClassFixture<PostgresServerFixture>;
