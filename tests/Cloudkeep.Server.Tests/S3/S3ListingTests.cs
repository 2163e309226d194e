using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// A bucket with 1,100 keys, each under its own "directory" (big/0000/x … big/1099/x), put eight at a time, plus a
/// small tree of directories and files for delimiter paging.
/// </summary>
public class S3ListingEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    public const int BigCount = 1100;

    public TestServer Server { get; private set; } = null!;

    public string Bucket { get; } = S3Clients.UniqueBucket("listing");

    public static IReadOnlyList<string> BigKeys { get; } = [.. Enumerable.Range(0, BigCount).Select(i => $"big/{i:D4}/x")];

    public static IReadOnlyList<string> TreeDirectories { get; } = [.. Enumerable.Range(0, 20).Select(i => $"tree/d{i:D2}/")];

    public static IReadOnlyList<string> TreeFiles { get; } = [.. Enumerable.Range(0, 5).Select(i => $"tree/top{i}")];

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));
        using var s3 = S3Clients.Root(Server);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        var keys = BigKeys.Concat(TreeDirectories.SelectMany(d => Enumerable.Range(0, 3).Select(j => $"{d}f{j}"))).Concat(TreeFiles);
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, cancellationToken) =>
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = key }, cancellationToken));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>ListObjectsV2 past S3's 1,000-key page, with delimiters across pages, non-ASCII keys and MaxKeys=0.</summary>
public abstract class S3ListingTests(S3ListingEstate estate)
{
    private static async Task<List<ListObjectsV2Response>> AllPagesAsync(IAmazonS3 s3, ListObjectsV2Request request)
    {
        var pages = new List<ListObjectsV2Response>();
        do
        {
            var page = await s3.ListObjectsV2Async(request);
            pages.Add(page);
            Assert.Equal(page.IsTruncated == true, page.NextContinuationToken is not null);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null && pages.Count < 50);
        return pages;
    }

    [Theory]
    [InlineData(null, new[] { 1000, 100 })]
    [InlineData(300, new[] { 300, 300, 300, 200 })]
    [InlineData(1000, new[] { 1000, 100 })]
    [InlineData(5000, new[] { 1000, 100 })]
    public async Task ListObjectsV2_1100Keys_ContinuationTokensReturnEveryKeyOnceInPagesOfAtMost1000(int? maxKeys, int[] pageSizes)
    {
        using var s3 = S3Clients.Root(estate.Server);
        var pages = await AllPagesAsync(s3, new ListObjectsV2Request { BucketName = estate.Bucket, Prefix = "big/", MaxKeys = maxKeys });
        Assert.Equal(pageSizes, pages.Select(p => (p.S3Objects ?? []).Count));
        Assert.Equal(pageSizes, pages.Select(p => p.KeyCount ?? -1));
        Assert.Equal([.. Enumerable.Repeat(true, pageSizes.Length - 1), false], pages.Select(p => p.IsTruncated == true));
        Assert.Equal(S3ListingEstate.BigKeys, pages.SelectMany(p => p.S3Objects ?? []).Select(o => o.Key));
    }

    [Fact]
    public async Task ListObjectsV2_DelimiterOver1100Directories_CommonPrefixesContinueOnTheNextPage()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var pages = await AllPagesAsync(s3, new ListObjectsV2Request { BucketName = estate.Bucket, Prefix = "big/", Delimiter = "/" });
        Assert.Equal([1000, 100], pages.Select(p => (p.CommonPrefixes ?? []).Count));
        Assert.All(pages, p => Assert.Empty(p.S3Objects ?? []));
        Assert.Equal(S3ListingEstate.BigKeys.Select(k => k[..^1]), pages.SelectMany(p => p.CommonPrefixes ?? []));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(25)]
    public async Task ListObjectsV2_DelimiterWithSmallPagesThroughBoto3_EachPrefixAndKeyOnceAndPrefixesCountTowardsMaxKeys(int pageSize)
    {
        var result = await Boto3.RunAsync(estate.Server, $$"""
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            pages = [{'keys': [o['Key'] for o in p.get('Contents', [])], 'prefixes': [c['Prefix'] for c in p.get('CommonPrefixes', [])], 'count': p['KeyCount']}
                     for p in s3.get_paginator('list_objects_v2').paginate(Bucket='{{estate.Bucket}}', Prefix='tree/', Delimiter='/', PaginationConfig={'PageSize': {{pageSize}}})]
            print(json.dumps(pages))
            """);
        var pages = result.EnumerateArray().ToList();
        Assert.All(pages, p => Assert.InRange(p.GetProperty("keys").GetArrayLength() + p.GetProperty("prefixes").GetArrayLength(), 1, pageSize));
        Assert.All(pages, p => Assert.Equal(p.GetProperty("keys").GetArrayLength() + p.GetProperty("prefixes").GetArrayLength(), p.GetProperty("count").GetInt32()));
        Assert.Equal(S3ListingEstate.TreeDirectories, pages.SelectMany(p => p.GetProperty("prefixes").EnumerateArray().Select(e => e.GetString()!)));
        Assert.Equal(S3ListingEstate.TreeFiles, pages.SelectMany(p => p.GetProperty("keys").EnumerateArray().Select(e => e.GetString()!)));
    }

    [Fact]
    public async Task ListObjectsV2_MaxKeysZero_EmptyPageNotTruncatedWithoutToken()
    {
        using var s3 = S3Clients.Root(estate.Server);
        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = estate.Bucket, MaxKeys = 0 });

        // AWS answers max-keys=0 with KeyCount 0 and IsTruncated false, whatever the bucket holds.
        Assert.Empty(page.S3Objects ?? []);
        Assert.Empty(page.CommonPrefixes ?? []);
        Assert.Equal(0, page.KeyCount);
        Assert.Equal(0, page.MaxKeys);
        Assert.NotEqual(true, page.IsTruncated);
        Assert.Null(page.NextContinuationToken);
    }

    [Theory]
    [InlineData("intl/café/é.txt")]
    [InlineData("intl/日本/東京.txt")]
    [InlineData("intl/emoji/😀🎉.txt")]
    [InlineData("intl/spaces and+plus/ü ß %41.txt")]
    public async Task NonAsciiKey_PutThroughSdk_ListsAndReadsBackThroughSdkAndBoto3(string key)
    {
        using var s3 = S3Clients.Root(estate.Server);
        var body = "body of " + key;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = estate.Bucket, Key = key, ContentBody = body });

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = estate.Bucket, Prefix = key });
        Assert.Equal([key], (listed.S3Objects ?? []).Select(o => o.Key));
        var directory = key[..(key.LastIndexOf('/') + 1)];
        var rolledUp = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = estate.Bucket, Prefix = "intl/", Delimiter = "/" });
        Assert.Contains(directory, rolledUp.CommonPrefixes ?? []);
        using (var read = await s3.GetObjectAsync(estate.Bucket, key))
        using (var reader = new StreamReader(read.ResponseStream))
        {
            Assert.Equal(body, await reader.ReadToEndAsync());
        }

        var escaped = key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        var result = await Boto3.RunAsync(estate.Server, $$"""
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            key = '{{escaped}}'
            listed = [o['Key'] for o in s3.list_objects_v2(Bucket='{{estate.Bucket}}', Prefix=key).get('Contents', [])]
            prefixes = [c['Prefix'] for c in s3.list_objects_v2(Bucket='{{estate.Bucket}}', Prefix='intl/', Delimiter='/').get('CommonPrefixes', [])]
            body = s3.get_object(Bucket='{{estate.Bucket}}', Key=key)['Body'].read().decode('utf-8')
            print(json.dumps({'listed': listed, 'prefixes': prefixes, 'body': body}))
            """);
        Assert.Equal([key], result.GetProperty("listed").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(directory, result.GetProperty("prefixes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(body, result.GetProperty("body").GetString());
    }
}

public sealed class S3ListingEstateOnPostgres : S3ListingEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class S3ListingTestsOnSqlite(S3ListingEstate estate) : S3ListingTests(estate), IClassFixture<S3ListingEstate>;

public sealed class S3ListingTestsOnPostgres(S3ListingEstateOnPostgres estate) : S3ListingTests(estate), IClassFixture<S3ListingEstateOnPostgres>;
