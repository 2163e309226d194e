using Amazon.KeyManagementService.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>Rotation through the .NET SDK: status, on-demand rotation, and old ciphertexts still decrypting.</summary>
public abstract class KmsRotationTests(ServerFixture fixture)
{
    private readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task GetKeyRotationStatus_NewKey_Disabled()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var status = await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        Assert.False(status.KeyRotationEnabled);
        Assert.Equal(key.Arn, status.KeyId);
    }

    [Fact]
    public async Task EnableKeyRotation_DefaultPeriod_365DaysThenDisable()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });
        var status = await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        Assert.True(status.KeyRotationEnabled);
        Assert.Equal(365, status.RotationPeriodInDays);
        Assert.InRange(status.NextRotationDate!.Value, DateTime.UtcNow.AddDays(364), DateTime.UtcNow.AddDays(366));

        await kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = key.KeyId });
        Assert.False((await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).KeyRotationEnabled);
    }

    [Fact]
    public async Task EnableKeyRotation_Period90_Reported()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        Assert.Equal(90, (await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).RotationPeriodInDays);
    }

    [Theory]
    [InlineData(89)]
    [InlineData(2561)]
    public async Task EnableKeyRotation_PeriodOutOfRange_ValidationAndStillDisabled(int days)
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = days }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.False((await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).KeyRotationEnabled);
    }

    [Fact]
    public async Task EnableKeyRotation_DisabledKey_DisabledException()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        var error = await KmsClients.FailsAsync(() => kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId }));
        Assert.Equal("DisabledException", error.ErrorCode);
    }

    [Fact]
    public async Task RotateKeyOnDemand_Twice_OldAndNewCiphertextsAllDecrypt()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var before = (await kms.EncryptAsync(key.KeyId, [1])).ToArray();
        Assert.Equal(key.Arn, (await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId })).KeyId);
        var middle = (await kms.EncryptAsync(key.KeyId, [2])).ToArray();
        await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.Arn });
        var after = (await kms.EncryptAsync(key.KeyId, [3])).ToArray();

        Assert.Equal([1, 2, 3], MaterialVersions(before, middle, after));
        Assert.Equal(new byte[] { 1 }, await kms.DecryptAsync(new MemoryStream(before)));
        Assert.Equal(new byte[] { 2 }, await kms.DecryptAsync(new MemoryStream(middle)));
        Assert.Equal(new byte[] { 3 }, await kms.DecryptAsync(new MemoryStream(after)));
    }

    [Fact]
    public async Task RotateKeyOnDemand_OldCiphertext_ReEncryptsUnderNewMaterial()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var old = await kms.EncryptAsync(key.KeyId, [9]);
        await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
        var renewed = await kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = old, DestinationKeyId = key.KeyId });
        Assert.Equal([2], MaterialVersions(renewed.CiphertextBlob.ToArray()));
        Assert.Equal(new byte[] { 9 }, await kms.DecryptAsync(renewed.CiphertextBlob));
    }

    [Fact]
    public async Task RotateKeyOnDemand_PendingDeletion_KmsInvalidState()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        var error = await KmsClients.FailsAsync(() => kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));
        Assert.Equal("KMSInvalidStateException", error.ErrorCode);
    }

    private static int[] MaterialVersions(params byte[][] blobs) =>
        [.. blobs.Select(b => (b[17] << 24) | (b[18] << 16) | (b[19] << 8) | b[20])];
}

public sealed class KmsRotationTestsOnSqlite(ServerFixture fixture) : KmsRotationTests(fixture), IClassFixture<ServerFixture>;

public sealed class KmsRotationTestsOnPostgres(PostgresServerFixture fixture) : KmsRotationTests(fixture), IClassFixture<PostgresServerFixture>;
