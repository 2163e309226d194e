using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Storage.Blobs;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Blobs;

/// <summary>
/// The tests that need a Ceph RADOS Gateway share one cluster per test run: it starts before the first of them and
/// stops after the last. Each test makes its own bucket (or prefix) on it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CephGroup : ICollectionFixture<CephFixture>
{
    public const string Name = "Ceph RGW";
}

public sealed class CephFixture : IAsyncLifetime
{
    public CephRgw Rgw { get; private set; } = null!;

    public async Task InitializeAsync() => Rgw = await CephRgw.StartAsync();

    public async Task DisposeAsync()
    {
        if (Rgw is not null)
        {
            await Rgw.DisposeAsync();
        }
    }

    /// <summary>A client of the gateway as its first user.</summary>
    public AmazonS3Client Client() => S3BlobStore.CreateClient(new Uri(Rgw.Endpoint), "us-east-1", Rgw.AccessKeyId, Rgw.SecretAccessKey);

    /// <summary>A new bucket on the gateway, for one test.</summary>
    public async Task<string> BucketAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
        using var client = Client();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>Blob options naming a bucket of the gateway with the first user's keys, as an operator's environment would.</summary>
    public BlobStoreOptions Options(string bucket, string prefix = "", string? accessKeyId = null, string? secretAccessKey = null, string? endpoint = null) => new()
    {
        Spec = "s3://" + bucket + (prefix.Length > 0 ? "/" + prefix : ""),
        Endpoint = endpoint ?? Rgw.Endpoint,
        AccessKeyId = accessKeyId ?? Rgw.AccessKeyId,
        SecretAccessKey = secretAccessKey ?? Rgw.SecretAccessKey,
    };

    /// <summary>The keys under a prefix of a bucket, straight from the gateway.</summary>
    public async Task<List<string>> KeysAsync(string bucket, string prefix = "")
    {
        using var client = Client();
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token });
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>Multipart uploads begun and neither completed nor aborted under a prefix.</summary>
    public async Task<int> OpenUploadsAsync(string bucket, string prefix = "")
    {
        using var client = Client();
        var page = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix });
        return page.MultipartUploads?.Count ?? 0;
    }
}
