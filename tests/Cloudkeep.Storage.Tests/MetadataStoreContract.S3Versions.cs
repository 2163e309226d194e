using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Storage.Tests;

/// <summary>Object versions and delete markers, the same on SQLite and PostgreSQL.</summary>
public abstract partial class MetadataStoreContract
{
    private static readonly DateTimeOffset Day0 = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private async Task<S3Repository> VersionedBucketAsync(string name)
    {
        var s3 = new S3Repository(Store);
        Assert.True(await s3.CreateBucketAsync(new S3BucketRecord(name, "111111111111", "eu-west-1", Day0, "{}"), CancellationToken.None));
        return s3;
    }

    private static S3ObjectRecord Version(string bucket, string key, string versionId, string blob, int minute = 0, bool marker = false) =>
        new(bucket, key, marker ? "" : blob, marker ? 0 : 1, marker ? "" : "\"" + blob + "\"", Day0.AddMinutes(minute), "111111111111", "{}", null, versionId, marker);

    private static async Task<List<(string Key, string VersionId, bool Latest, bool Marker)>> ListAllAsync(S3Repository s3, string bucket, string prefix = "")
    {
        var entries = await s3.ListVersionsAsync(bucket, prefix, "", null, 1000, CancellationToken.None);
        return [.. entries.Select(e => (e.Version.Key, e.Version.VersionId, e.IsLatest, e.Version.DeleteMarker))];
    }

    [Fact]
    public async Task Versions_EnabledWrites_KeepEveryVersionNewestFirst()
    {
        var s3 = await VersionedBucketAsync("v-enabled");
        Assert.Null(await s3.PutObjectAsync(Version("v-enabled", "k", "null", "b0"), S3Versioning.Unversioned, CancellationToken.None));
        Assert.Null(await s3.PutObjectAsync(Version("v-enabled", "k", "v1", "b1", 1), S3Versioning.Enabled, CancellationToken.None));
        Assert.Null(await s3.PutObjectAsync(Version("v-enabled", "k", "v2", "b2", 2), S3Versioning.Enabled, CancellationToken.None));
        Assert.Null(await s3.PutObjectAsync(Version("v-enabled", "j", "v3", "b3", 3), S3Versioning.Enabled, CancellationToken.None));

        Assert.Equal(
            [("j", "v3", true, false), ("k", "v2", true, false), ("k", "v1", false, false), ("k", "null", false, false)],
            await ListAllAsync(s3, "v-enabled"));
        Assert.Equal("b2", (await s3.GetObjectAsync("v-enabled", "k", CancellationToken.None))!.Blobs);
        Assert.Equal("b1", (await s3.GetVersionAsync("v-enabled", "k", "v1", CancellationToken.None))!.Version.Blobs);
        Assert.False((await s3.GetVersionAsync("v-enabled", "k", "null", CancellationToken.None))!.IsLatest);
        Assert.Null(await s3.GetVersionAsync("v-enabled", "k", "v9", CancellationToken.None));
        Assert.Equal(["j", "k"], (await s3.ListObjectsAsync("v-enabled", "", "", 10, CancellationToken.None)).Select(o => o.Key));
    }

    [Fact]
    public async Task Versions_DeleteMarker_HidesTheKeyUntilItIsRemoved()
    {
        var s3 = await VersionedBucketAsync("v-marker");
        await s3.PutObjectAsync(Version("v-marker", "k", "v1", "b1"), S3Versioning.Enabled, CancellationToken.None);
        await s3.PutObjectAsync(Version("v-marker", "k", "m1", "", 1, marker: true), S3Versioning.Enabled, CancellationToken.None);

        Assert.Null(await s3.GetObjectAsync("v-marker", "k", CancellationToken.None));
        Assert.True((await s3.GetVersionAsync("v-marker", "k", null, CancellationToken.None))!.Version.DeleteMarker);
        Assert.Empty(await s3.ListObjectsAsync("v-marker", "", "", 10, CancellationToken.None));
        Assert.Null(await s3.DeleteBucketAsync("v-marker", CancellationToken.None));

        var removed = (await s3.DeleteVersionAsync("v-marker", "k", "m1", null, CancellationToken.None)).Removed;
        Assert.True(removed!.DeleteMarker);
        Assert.Equal("b1", (await s3.GetObjectAsync("v-marker", "k", CancellationToken.None))!.Blobs);
        Assert.Equal([("k", "v1", true, false)], await ListAllAsync(s3, "v-marker"));
    }

    [Fact]
    public async Task Versions_DeletingTheLastVersion_LeavesNothingAndTheBucketDeletable()
    {
        var s3 = await VersionedBucketAsync("v-last");
        await s3.PutObjectAsync(Version("v-last", "k", "v1", "b1"), S3Versioning.Enabled, CancellationToken.None);
        await s3.PutObjectAsync(Version("v-last", "k", "v2", "b2", 1), S3Versioning.Enabled, CancellationToken.None);

        Assert.Equal(new S3VersionDeletion(null, Refused: true), await s3.DeleteVersionAsync("v-last", "k", "v1", _ => false, CancellationToken.None));
        Assert.Equal("b1", (await s3.DeleteVersionAsync("v-last", "k", "v1", _ => true, CancellationToken.None)).Removed!.Blobs);
        Assert.Equal(new S3VersionDeletion(null, Refused: false), await s3.DeleteVersionAsync("v-last", "k", "v1", null, CancellationToken.None));
        Assert.Equal(new S3VersionDeletion(null, Refused: true), await s3.DeleteVersionAsync("v-last", "k", "v2", _ => false, CancellationToken.None));
        Assert.Equal("b2", (await s3.DeleteVersionAsync("v-last", "k", "v2", null, CancellationToken.None)).Removed!.Blobs);
        Assert.Empty(await ListAllAsync(s3, "v-last"));
        Assert.NotNull(await s3.DeleteBucketAsync("v-last", CancellationToken.None));
    }

    [Fact]
    public async Task Versions_Suspended_ReplacesOnlyTheNullVersion()
    {
        var s3 = await VersionedBucketAsync("v-suspended");
        await s3.PutObjectAsync(Version("v-suspended", "k", "null", "b0"), S3Versioning.Unversioned, CancellationToken.None);
        await s3.PutObjectAsync(Version("v-suspended", "k", "v1", "b1", 1), S3Versioning.Enabled, CancellationToken.None);

        // The null version is noncurrent: a suspended write frees it and keeps v1.
        Assert.Equal("b0", await s3.PutObjectAsync(Version("v-suspended", "k", "null", "b2", 2), S3Versioning.Suspended, CancellationToken.None));
        Assert.Equal([("k", "null", true, false), ("k", "v1", false, false)], await ListAllAsync(s3, "v-suspended"));

        // Now the null version is current: replaced in place.
        Assert.Equal("b2", await s3.PutObjectAsync(Version("v-suspended", "k", "null", "b3", 3), S3Versioning.Suspended, CancellationToken.None));
        Assert.Equal([("k", "null", true, false), ("k", "v1", false, false)], await ListAllAsync(s3, "v-suspended"));

        // A suspended delete is a null delete marker that replaces the null version.
        Assert.Equal("b3", await s3.PutObjectAsync(Version("v-suspended", "k", "null", "", 4, marker: true), S3Versioning.Suspended, CancellationToken.None));
        Assert.Equal([("k", "null", true, true), ("k", "v1", false, false)], await ListAllAsync(s3, "v-suspended"));
    }

    [Fact]
    public async Task Versions_ListPaging_ResumesWithinAKey()
    {
        var s3 = await VersionedBucketAsync("v-paging");
        foreach (var key in new[] { "a", "b/1", "b/2", "c" })
        {
            for (var v = 1; v <= 3; v++)
            {
                await s3.PutObjectAsync(Version("v-paging", key, key + "-v" + v, "blob", v), S3Versioning.Enabled, CancellationToken.None);
            }
        }

        var seen = new List<string>();
        var afterKey = "";
        long? before = null;
        while (true)
        {
            var page = await s3.ListVersionsAsync("v-paging", "", afterKey, before, 5, CancellationToken.None);
            seen.AddRange(page.Select(e => e.Version.VersionId));
            if (page.Count < 5)
            {
                break;
            }

            (afterKey, before) = (page[^1].Version.Key, page[^1].Version.Sequence);
        }

        Assert.Equal(["a-v3", "a-v2", "a-v1", "b/1-v3", "b/1-v2", "b/1-v1", "b/2-v3", "b/2-v2", "b/2-v1", "c-v3", "c-v2", "c-v1"], seen);
        Assert.Equal(["b/1-v3", "b/1-v2", "b/1-v1", "b/2-v3", "b/2-v2", "b/2-v1"],
            (await s3.ListVersionsAsync("v-paging", "b/", "", null, 100, CancellationToken.None)).Select(e => e.Version.VersionId));
        Assert.Equal(["c-v3", "c-v2", "c-v1"], (await s3.ListVersionsAsync("v-paging", "", "b/2", null, 100, CancellationToken.None)).Select(e => e.Version.VersionId));
    }

    [Fact]
    public async Task Versions_UpdateMeta_ChangesOnlyThatVersion()
    {
        var s3 = await VersionedBucketAsync("v-meta");
        await s3.PutObjectAsync(Version("v-meta", "k", "v1", "b1"), S3Versioning.Enabled, CancellationToken.None);
        await s3.PutObjectAsync(Version("v-meta", "k", "v2", "b2", 1), S3Versioning.Enabled, CancellationToken.None);

        Assert.True(await s3.UpdateVersionMetaAsync("v-meta", "k", "v1", "{\"x\":1}", "111111111111", CancellationToken.None));
        Assert.False(await s3.UpdateVersionMetaAsync("v-meta", "k", "v9", "{}", "111111111111", CancellationToken.None));
        Assert.Equal("{\"x\":1}", (await s3.GetVersionAsync("v-meta", "k", "v1", CancellationToken.None))!.Version.Meta);
        Assert.Equal("{}", (await s3.GetVersionAsync("v-meta", "k", "v2", CancellationToken.None))!.Version.Meta);
    }
}
