using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>Aliases: create, update, delete, list, reserved names, and resolution in every form AWS accepts.</summary>
public abstract class KmsAliasTests(ServerFixture fixture)
{
    private readonly TestServer _server = fixture.Server;

    private static string NewAlias() => "alias/test-" + Guid.NewGuid().ToString("N")[..12];

    private string AliasArn(string alias) => $"arn:aws:kms:{KmsClients.Region}:{_server.AccountId}:{alias}";

    [Fact]
    public async Task CreateAlias_EveryAcceptedForm_ResolvesToKey()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var alias = NewAlias();
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.Arn });
        foreach (var reference in new[] { key.KeyId, key.Arn, alias, AliasArn(alias) })
        {
            var described = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = reference });
            Assert.Equal(key.KeyId, described.KeyMetadata.KeyId);

            var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = reference, Plaintext = new MemoryStream([1]) });
            Assert.Equal(key.Arn, encrypted.KeyId);

            var dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = reference, KeySpec = DataKeySpec.AES_128 });
            Assert.Equal(key.Arn, dataKey.KeyId);

            var withoutPlaintext = await kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = reference, NumberOfBytes = 8 });
            Assert.Equal(key.Arn, withoutPlaintext.KeyId);

            var reEncrypted = await kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = encrypted.CiphertextBlob, SourceKeyId = reference, DestinationKeyId = reference });
            Assert.Equal(key.Arn, reEncrypted.KeyId);
        }
    }

    [Fact]
    public async Task ListAliases_AfterCreate_ShowsEntryAndFiltersByKey()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var other = await kms.NewKeyAsync();
        var alias = NewAlias();
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = NewAlias(), TargetKeyId = other.KeyId });

        var forKey = await kms.ListAliasesAsync(new ListAliasesRequest { KeyId = key.KeyId });
        var entry = Assert.Single(forKey.Aliases);
        Assert.Equal(alias, entry.AliasName);
        Assert.Equal(AliasArn(alias), entry.AliasArn);
        Assert.Equal(key.KeyId, entry.TargetKeyId);
        Assert.NotNull(entry.CreationDate);
    }

    [Fact]
    public async Task ListAliases_LimitAndMarker_PagesThroughAll()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var created = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var alias = NewAlias();
            created.Add(alias);
            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        }

        var seen = new List<string>();
        string? marker = null;
        do
        {
            var page = await kms.ListAliasesAsync(new ListAliasesRequest { KeyId = key.Arn, Limit = 2, Marker = marker });
            Assert.True(page.Aliases.Count <= 2);
            seen.AddRange(page.Aliases.Select(a => a.AliasName));
            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);

        Assert.Equal(created.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task UpdateAlias_OtherKey_AliasNowResolvesThere()
    {
        using var kms = KmsClients.Kms(_server);
        var first = await kms.NewKeyAsync();
        var second = await kms.NewKeyAsync();
        var alias = NewAlias();
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = first.KeyId });
        await kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = alias, TargetKeyId = second.KeyId });
        Assert.Equal(second.KeyId, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = alias })).KeyMetadata.KeyId);
    }

    [Fact]
    public async Task UpdateAlias_UnknownAlias_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = NewAlias(), TargetKeyId = key.KeyId }));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task DeleteAlias_Existing_NoLongerResolvesAndKeyStays()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var alias = NewAlias();
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = alias });
        Assert.Equal("NotFoundException", (await KmsClients.FailsAsync(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = alias }))).ErrorCode);
        Assert.Equal(KeyState.Enabled, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task DeleteAlias_Unknown_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = NewAlias() }));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task CreateAlias_NameTaken_AlreadyExistsAndFirstTargetKept()
    {
        using var kms = KmsClients.Kms(_server);
        var first = await kms.NewKeyAsync();
        var second = await kms.NewKeyAsync();
        var alias = NewAlias();
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = first.KeyId });
        var error = await KmsClients.FailsAsync(() => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = second.KeyId }));
        Assert.Equal("AlreadyExistsException", error.ErrorCode);
        Assert.Equal(first.KeyId, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = alias })).KeyMetadata.KeyId);
    }

    [Theory]
    [InlineData("alias/aws/s3", "NotAuthorizedException")]
    [InlineData("alias/aws/mine", "NotAuthorizedException")]
    [InlineData("no-prefix", "ValidationException")]
    [InlineData("alias/", "ValidationException")]
    [InlineData("alias/has:colon", "ValidationException")]
    [InlineData("alias/has space", "ValidationException")]
    public async Task CreateAlias_BadOrReservedName_RefusedAndNotCreated(string alias, string code)
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId }));
        Assert.Equal(code, error.ErrorCode);
        Assert.Empty((await kms.ListAliasesAsync(new ListAliasesRequest { KeyId = key.KeyId })).Aliases);
    }

    [Fact]
    public async Task CreateAlias_TargetIsAlias_NotFoundAndNotCreated()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var alias = NewAlias();
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        var second = NewAlias();
        var error = await KmsClients.FailsAsync(() => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = second, TargetKeyId = alias }));
        Assert.Equal("NotFoundException", error.ErrorCode);
        Assert.Single((await kms.ListAliasesAsync(new ListAliasesRequest { KeyId = key.KeyId })).Aliases);
    }

    [Fact]
    public async Task CreateAlias_UnknownKey_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = NewAlias(), TargetKeyId = Guid.NewGuid().ToString() }));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task CreateAlias_KeyPendingDeletion_KmsInvalidState()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        var error = await KmsClients.FailsAsync(() => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = NewAlias(), TargetKeyId = key.KeyId }));
        Assert.Equal("KMSInvalidStateException", error.ErrorCode);
    }

    [Theory]
    [InlineData("alias/never-created")]
    [InlineData("arn:aws:kms:eu-west-1:111122223333:alias/never-created")]
    public async Task UnknownAlias_EncryptAndDescribe_NotFound(string reference)
    {
        using var kms = KmsClients.Kms(_server);
        Assert.Equal("NotFoundException", (await KmsClients.FailsAsync(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = reference }))).ErrorCode);
        var error = await KmsClients.FailsAsync(() => kms.EncryptAsync(new EncryptRequest { KeyId = reference, Plaintext = new MemoryStream([1]) }));
        Assert.Equal("NotFoundException", error.ErrorCode);
        Assert.Contains("alias/never-created", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AliasOnKeyOnlyOperation_EnableKey_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var alias = NewAlias();
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        var error = await KmsClients.FailsAsync(() => kms.DisableKeyAsync(new DisableKeyRequest { KeyId = alias }));
        Assert.Equal("NotFoundException", error.ErrorCode);
        Assert.Equal(KeyState.Enabled, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }
}

public sealed class KmsAliasTestsOnSqlite(ServerFixture fixture) : KmsAliasTests(fixture), IClassFixture<ServerFixture>;

public sealed class KmsAliasTestsOnPostgres(PostgresServerFixture fixture) : KmsAliasTests(fixture), IClassFixture<PostgresServerFixture>;
