using Amazon.KeyManagementService.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>TagResource, UntagResource and ListResourceTags through the .NET SDK.</summary>
public abstract class KmsTagTests(ServerFixture fixture)
{
    private readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task TagResource_AddAndReplace_ListShowsLatestValues()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "a", TagValue = "1" }, new Tag { TagKey = "b", TagValue = "2" }] });
        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.Arn, Tags = [new Tag { TagKey = "a", TagValue = "changed" }] });
        var tags = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId });
        Assert.Equal(["a=changed", "b=2"], tags.Tags.Select(t => $"{t.TagKey}={t.TagValue}"));
    }

    [Fact]
    public async Task UntagResource_SomeKeys_OnlyThoseRemoved()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "a", TagValue = "1" }, new Tag { TagKey = "b", TagValue = "2" }] });
        await kms.UntagResourceAsync(new UntagResourceRequest { KeyId = key.KeyId, TagKeys = ["a", "never-there"] });
        var tags = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId });
        Assert.Equal(["b"], tags.Tags.Select(t => t.TagKey));
    }

    [Fact]
    public async Task ListResourceTags_LimitAndMarker_PagesThroughAll()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [.. Enumerable.Range(0, 5).Select(i => new Tag { TagKey = $"k{i}", TagValue = $"v{i}" })] });
        var seen = new List<string>();
        string? marker = null;
        do
        {
            var page = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId, Limit = 2, Marker = marker });
            seen.AddRange(page.Tags.Select(t => t.TagKey));
            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);

        Assert.Equal(["k0", "k1", "k2", "k3", "k4"], seen);
    }

    [Fact]
    public async Task TagResource_ReservedPrefix_TagExceptionAndNothingChanged()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.TagResourceAsync(new TagResourceRequest
        {
            KeyId = key.KeyId,
            Tags = [new Tag { TagKey = "ok", TagValue = "1" }, new Tag { TagKey = "aws:x", TagValue = "1" }],
        }));
        Assert.Equal("TagException", error.ErrorCode);
        Assert.Empty((await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId })).Tags);
    }

    [Fact]
    public async Task TagResource_Over50Tags_LimitExceeded()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [.. Enumerable.Range(0, 50).Select(i => new Tag { TagKey = $"k{i:00}", TagValue = "v" })] });
        var error = await KmsClients.FailsAsync(() => kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "one-more", TagValue = "v" }] }));
        Assert.Equal("LimitExceededException", error.ErrorCode);
        Assert.Equal(50, (await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId, Limit = 100 })).Tags.Count);
    }

    [Fact]
    public async Task TagResource_PendingDeletion_KmsInvalidState()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        var error = await KmsClients.FailsAsync(() => kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "a", TagValue = "1" }] }));
        Assert.Equal("KMSInvalidStateException", error.ErrorCode);
    }

    [Fact]
    public async Task TagResource_UnknownKey_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.TagResourceAsync(new TagResourceRequest { KeyId = Guid.NewGuid().ToString(), Tags = [new Tag { TagKey = "a", TagValue = "1" }] }));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }
}

public sealed class KmsTagTestsOnSqlite(ServerFixture fixture) : KmsTagTests(fixture), IClassFixture<ServerFixture>;

public sealed class KmsTagTestsOnPostgres(PostgresServerFixture fixture) : KmsTagTests(fixture), IClassFixture<PostgresServerFixture>;
