using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Keys are listed "in UTF-8 binary order" (ListObjectsV2 reference) on either engine: not in .NET's UTF-16
/// order (a key past U+FFFF comes after U+FF61 in UTF-8, before it in UTF-16), not in a locale's (PostgreSQL's
/// database collation), and without normalizing ("é" and "e" + U+0301 are two keys).
/// </summary>
public abstract class S3KeyOrderTests(ServerFixture fixture)
{
    // UTF-8: 5A | 61 | 61 2D | 61 42 | 61 5F | 65 CC 81 | C3 A9 | E6 97 A5 | EF BD A1 | F0 9F 98 80.
    private static readonly string[] Keys = ["Z", "a", "a-b", "aB", "a_b", "e\u0301", "\u00e9", "日本", "\uff61", "\U0001F600"];

    private static async Task<string> BucketWithKeysAsync(IAmazonS3 s3, string prefix, bool versioned = false)
    {
        var bucket = S3Clients.UniqueBucket(prefix);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        if (versioned)
        {
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        }

        // Written in neither order, so the listing's order is the store's.
        foreach (var key in Enumerable.Reverse(Keys).OrderBy(k => k.Length))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }

        return bucket;
    }

    [Fact]
    public void Keys_AreInUtf8ByteOrder_WhichIsNotUtf16Order()
    {
        Assert.Equal(Keys, Keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))));
        Assert.NotEqual(Keys, Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListObjectsV2_NonAsciiKeys_AreInUtf8ByteOrderOnEveryPage()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await BucketWithKeysAsync(s3, "utf8order");

        var all = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(Keys, all.S3Objects.Select(o => o.Key));

        var paged = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, MaxKeys = 3 };
        do
        {
            var page = await s3.ListObjectsV2Async(request);
            paged.AddRange(page.S3Objects.Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
        Assert.Equal(Keys, paged);

        var after = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, StartAfter = "\u00e9" });
        Assert.Equal(["日本", "\uff61", "\U0001F600"], after.S3Objects.Select(o => o.Key));
        var decomposed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "e" });
        Assert.Equal(["e\u0301"], decomposed.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task ListObjectVersions_NonAsciiKeys_AreInUtf8ByteOrderAcrossPages()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = await BucketWithKeysAsync(s3, "utf8versions", versioned: true);

        var keys = new List<string>();
        var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = 4 };
        while (true)
        {
            var page = await s3.ListVersionsAsync(request);
            keys.AddRange(page.Versions.Select(v => v.Key));
            if (page.IsTruncated != true)
            {
                break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }

        Assert.Equal(Keys, keys);
    }

    [Fact]
    public async Task ListMultipartUploads_NonAsciiKeys_AreInUtf8ByteOrder()
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("utf8uploads");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        foreach (var key in Enumerable.Reverse(Keys))
        {
            await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key });
        }

        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Equal(Keys, uploads.MultipartUploads.Select(u => u.Key));
        var after = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, KeyMarker = "\uff61" });
        Assert.Equal(["\U0001F600"], after.MultipartUploads.Select(u => u.Key));
    }
}

public sealed class S3KeyOrderTestsOnSqlite(ServerFixture fixture) : S3KeyOrderTests(fixture), IClassFixture<ServerFixture>;

public sealed class S3KeyOrderTestsOnPostgres(PostgresServerFixture fixture) : S3KeyOrderTests(fixture), IClassFixture<PostgresServerFixture>;
