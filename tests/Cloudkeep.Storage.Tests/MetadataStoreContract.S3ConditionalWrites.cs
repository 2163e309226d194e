using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Storage.Tests;

/// <summary>Conditional writes and remembered completions, decided in the write's own transaction, the same on SQLite and PostgreSQL.</summary>
public abstract partial class MetadataStoreContract
{
    private static readonly S3WriteCondition MustNotExist = new(MustNotExist: true, MatchETags: null);

    private static S3WriteCondition MustMatch(string etag) => new(MustNotExist: false, MatchETags: [etag]);

    [Fact]
    public async Task ConditionalPut_PreconditionFails_WritesNothing()
    {
        var s3 = await VersionedBucketAsync("cw-refused");
        Assert.Equal((S3WriteOutcome.Written, null), await s3.PutObjectAsync(Version("cw-refused", "k", "v1", "b1"), S3Versioning.Enabled, MustNotExist, CancellationToken.None));

        Assert.Equal(S3WriteOutcome.Exists, (await s3.PutObjectAsync(Version("cw-refused", "k", "v2", "b2", 1), S3Versioning.Enabled, MustNotExist, CancellationToken.None)).Outcome);
        Assert.Equal(S3WriteOutcome.ETagMismatch, (await s3.PutObjectAsync(Version("cw-refused", "k", "v3", "b3", 2), S3Versioning.Enabled, MustMatch("\"other\""), CancellationToken.None)).Outcome);
        Assert.Equal(S3WriteOutcome.Missing, (await s3.PutObjectAsync(Version("cw-refused", "absent", "v4", "b4", 3), S3Versioning.Enabled, MustMatch("\"b1\""), CancellationToken.None)).Outcome);
        Assert.Equal([("k", "v1", true, false)], await ListAllAsync(s3, "cw-refused"));

        // A matching ETag writes; a delete marker is no object for If-None-Match.
        Assert.Equal(S3WriteOutcome.Written, (await s3.PutObjectAsync(Version("cw-refused", "k", "v5", "b5", 4), S3Versioning.Enabled, MustMatch("\"b1\""), CancellationToken.None)).Outcome);
        Assert.Null(await s3.PutObjectAsync(Version("cw-refused", "k", "m1", "", 5, marker: true), S3Versioning.Enabled, CancellationToken.None));
        Assert.Equal(S3WriteOutcome.Written, (await s3.PutObjectAsync(Version("cw-refused", "k", "v6", "b6", 6), S3Versioning.Enabled, MustNotExist, CancellationToken.None)).Outcome);
        Assert.Equal("b6", (await s3.GetObjectAsync("cw-refused", "k", CancellationToken.None))!.Blobs);
    }

    [Fact]
    public async Task ConditionalPut_ManyRacingIfNoneMatch_ExactlyOneWins()
    {
        var s3 = await VersionedBucketAsync("cw-race");
        using var start = new SemaphoreSlim(0);
        var racers = Enumerable.Range(0, 8).Select(async i =>
        {
            await start.WaitAsync();
            return (i, await s3.PutObjectAsync(Version("cw-race", "k", "v" + i, "b" + i), S3Versioning.Enabled, MustNotExist, CancellationToken.None));
        }).ToList();
        start.Release(racers.Count);
        var results = await Task.WhenAll(racers);

        var winners = results.Where(r => r.Item2.Outcome == S3WriteOutcome.Written).ToList();
        Assert.Single(winners);
        Assert.All(results.Except(winners), r => Assert.Contains(r.Item2.Outcome, new[] { S3WriteOutcome.Exists, S3WriteOutcome.Conflict }));
        Assert.Equal("b" + winners[0].i, (await s3.GetObjectAsync("cw-race", "k", CancellationToken.None))!.Blobs);
        Assert.Single(await ListAllAsync(s3, "cw-race"));
    }

    [Fact]
    public async Task UnconditionalPut_ManyRacingOnOneKey_AllAreWrittenAndEveryVersionKept()
    {
        // PostgreSQL may refuse to order two such transactions; the store runs the refused one again
        // rather than surfacing the refusal (it was a 500 for the second of two concurrent PUTs).
        var s3 = await VersionedBucketAsync("race-plain");
        using var start = new SemaphoreSlim(0);
        var racers = Enumerable.Range(0, 8).Select(async i =>
        {
            await start.WaitAsync();
            await s3.PutObjectAsync(Version("race-plain", "k", "v" + i, "b" + i, i), S3Versioning.Enabled, CancellationToken.None);
        }).ToList();
        start.Release(racers.Count);
        await Task.WhenAll(racers);

        var versions = await ListAllAsync(s3, "race-plain");
        Assert.Equal(8, versions.Count);
        Assert.Single(versions, v => v.Latest);
    }

    [Fact]
    public async Task Writes_TwoHundredNewKeysAndOneUploadsPartsAtOnce_NoTransactionIsRefused()
    {
        // Serializable checks refused inserts of unrelated new keys that share an index page, so 200 writers
        // on one bucket ran out of retries (503 SlowDown); writers of different keys must not wait on each other.
        var s3 = await VersionedBucketAsync("many-new");
        var upload = new S3UploadRecord("up-many", "many-new", "big", Day0, "111111111111", "arn", "{}");
        await s3.CreateUploadAsync(upload, CancellationToken.None);
        Assert.Empty(await s3.ListPartsAsync("up-many", 0, 100, CancellationToken.None));
        var refusedBefore = ((MetadataStoreBase)Store).SerializationRefusals;
        using var start = new SemaphoreSlim(0);
        var writers = Enumerable.Range(0, 200).Select(async i =>
        {
            await start.WaitAsync();
            await s3.PutObjectAsync(Version("many-new", $"k{i:D3}", "v" + i, "b" + i), S3Versioning.Enabled, CancellationToken.None);
        }).Concat(Enumerable.Range(1, 16).Select(async part =>
        {
            await start.WaitAsync();
            await s3.PutPartAsync(new S3PartRecord("up-many", part, "part-" + part, 1, "\"p\"", Day0, "{}"), CancellationToken.None);
        })).ToList();
        start.Release(writers.Count);
        await Task.WhenAll(writers);

        Assert.Equal(200, (await ListAllAsync(s3, "many-new")).Count);
        Assert.Equal(16, (await s3.ListPartsAsync("up-many", 0, 100, CancellationToken.None)).Count);
        Assert.Equal(0, ((MetadataStoreBase)Store).SerializationRefusals - refusedBefore);
    }

    [Fact]
    public async Task CompleteUpload_RememberedWhileItsObjectIsCurrent_AndRefusedByAPrecondition()
    {
        var s3 = await VersionedBucketAsync("cw-complete");
        async Task<S3UploadRecord> UploadAsync(string id)
        {
            var upload = new S3UploadRecord(id, "cw-complete", "k", Day0, "111111111111", "arn", "{}");
            await s3.CreateUploadAsync(upload, CancellationToken.None);
            await s3.PutPartAsync(new S3PartRecord(id, 1, "part-" + id, 1, "\"p\"", Day0, "{}"), CancellationToken.None);
            return upload;
        }

        await UploadAsync("u1");
        var made = Version("cw-complete", "k", "v1", "part-u1");
        var used = new HashSet<string>(StringComparer.Ordinal) { "part-u1" };
        Assert.Equal((true, S3WriteOutcome.Written), Drop(await s3.CompleteUploadAsync("u1", made, S3Versioning.Enabled, used, MustNotExist, CancellationToken.None)));
        Assert.Equal(new S3CompletedUpload("u1", "cw-complete", "k", "v1", made.ETag, made.LastModified), await s3.GetCompletedUploadAsync("u1", CancellationToken.None));
        Assert.False((await s3.CompleteUploadAsync("u1", made, S3Versioning.Enabled, used, null, CancellationToken.None)).UploadFound);

        // A second upload refused by If-None-Match stays open; the first completion is still current.
        await UploadAsync("u2");
        var second = Version("cw-complete", "k", "v2", "part-u2", 1);
        Assert.Equal((true, S3WriteOutcome.Exists), Drop(await s3.CompleteUploadAsync("u2", second, S3Versioning.Enabled, new HashSet<string>(StringComparer.Ordinal) { "part-u2" }, MustNotExist, CancellationToken.None)));
        Assert.NotNull(await s3.GetUploadAsync("u2", CancellationToken.None));
        Assert.NotNull(await s3.GetCompletedUploadAsync("u1", CancellationToken.None));

        // Once another write replaces the object, the completion is no longer answered.
        Assert.Null(await s3.PutObjectAsync(Version("cw-complete", "k", "v3", "b3", 2), S3Versioning.Enabled, CancellationToken.None));
        Assert.Null(await s3.GetCompletedUploadAsync("u1", CancellationToken.None));
    }

    private static (bool, S3WriteOutcome) Drop((bool UploadFound, S3WriteOutcome Outcome, IReadOnlyList<string> Unreferenced) result) => (result.UploadFound, result.Outcome);
}
