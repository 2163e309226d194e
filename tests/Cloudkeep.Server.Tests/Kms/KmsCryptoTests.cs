using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>Encrypt, Decrypt, ReEncrypt, data keys and random bytes through the AWS SDK for .NET, with every error path.</summary>
public abstract class KmsCryptoTests(ServerFixture fixture)
{
    private static readonly Dictionary<string, string> Context = new() { ["tenant"] = "acme", ["purpose"] = "invoices" };

    private readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task EncryptDecrypt_WithContext_RoundTripsAndNamesKey()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var plaintext = RandomNumberGenerator.GetBytes(200);
        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream(plaintext), EncryptionContext = Context });
        Assert.Equal(key.Arn, encrypted.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, encrypted.EncryptionAlgorithm);
        Assert.DoesNotContain(Convert.ToHexString(plaintext), Convert.ToHexString(encrypted.CiphertextBlob.ToArray()), StringComparison.Ordinal);

        var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(encrypted.CiphertextBlob.ToArray()), EncryptionContext = Context });
        Assert.Equal(plaintext, decrypted.Plaintext.ToArray());
        Assert.Equal(key.Arn, decrypted.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.EncryptionAlgorithm);
    }

    [Fact]
    public async Task Encrypt_MaximumPlaintext_RoundTrips()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var plaintext = RandomNumberGenerator.GetBytes(4096);
        var blob = await kms.EncryptAsync(key.KeyId, plaintext);
        Assert.Equal(plaintext, await kms.DecryptAsync(blob));
    }

    [Fact]
    public async Task Encrypt_PlaintextOver4096Bytes_ValidationException()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.EncryptAsync(key.KeyId, new byte[4097]));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task Encrypt_AsymmetricAlgorithm_InvalidKeyUsage()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.EncryptAsync(new EncryptRequest
        {
            KeyId = key.KeyId,
            Plaintext = new MemoryStream([1]),
            EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256,
        }));
        Assert.Equal("InvalidKeyUsageException", error.ErrorCode);
    }

    [Fact]
    public async Task Encrypt_UnknownKey_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.EncryptAsync(Guid.NewGuid().ToString(), [1]));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task Encrypt_DryRun_DryRunOperationException()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream([1]), DryRun = true }));
        Assert.Equal("DryRunOperationException", error.ErrorCode);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("other-value")]
    [InlineData("extra-pair")]
    [InlineData("key-case")]
    public async Task Decrypt_OtherEncryptionContext_InvalidCiphertext(string variant)
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(key.KeyId, [1, 2, 3], Context);
        Dictionary<string, string>? other = variant switch
        {
            "missing" => null,
            "other-value" => new() { ["tenant"] = "acme", ["purpose"] = "payroll" },
            "extra-pair" => new(Context) { ["x"] = "y" },
            _ => new() { ["Tenant"] = "acme", ["purpose"] = "invoices" },
        };
        var error = await KmsClients.FailsAsync(() => kms.DecryptAsync(blob, other));
        Assert.Equal("InvalidCiphertextException", error.ErrorCode);
    }

    [Fact]
    public async Task Decrypt_EveryTamperedByte_InvalidCiphertext()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var blob = (await kms.EncryptAsync(key.KeyId, [1, 2, 3, 4, 5], Context)).ToArray();
        for (var i = 0; i < blob.Length; i++)
        {
            var tampered = (byte[])blob.Clone();
            tampered[i] ^= 0x5A;
            var error = await KmsClients.FailsAsync(() => kms.DecryptAsync(new MemoryStream(tampered), Context));
            Assert.True(error.ErrorCode == "InvalidCiphertextException", $"byte {i}: {error.ErrorCode}");
        }
    }

    [Fact]
    public async Task Decrypt_NotOurFormat_InvalidCiphertext()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.DecryptAsync(new MemoryStream(RandomNumberGenerator.GetBytes(80))));
        Assert.Equal("InvalidCiphertextException", error.ErrorCode);
    }

    [Fact]
    public async Task Decrypt_MatchingKeyIdInEveryForm_Works()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var alias = "alias/decrypt-" + Guid.NewGuid().ToString("N")[..8];
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        var blob = await kms.EncryptAsync(key.KeyId, [7]);
        var aliasArn = $"arn:aws:kms:{KmsClients.Region}:{_server.AccountId}:{alias}";
        foreach (var keyId in new[] { key.KeyId, key.Arn, alias, aliasArn })
        {
            Assert.Equal(new byte[] { 7 }, await kms.DecryptAsync(blob, keyId: keyId));
        }
    }

    [Fact]
    public async Task Decrypt_OtherKeyId_IncorrectKey()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var other = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(key.KeyId, [7]);
        var error = await KmsClients.FailsAsync(() => kms.DecryptAsync(blob, keyId: other.KeyId));
        Assert.Equal("IncorrectKeyException", error.ErrorCode);
    }

    [Fact]
    public async Task DisabledKey_EncryptDecryptAndDataKeys_DisabledException()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(key.KeyId, [7]);
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        Assert.Equal("DisabledException", (await KmsClients.FailsAsync(() => kms.EncryptAsync(key.KeyId, [1]))).ErrorCode);
        Assert.Equal("DisabledException", (await KmsClients.FailsAsync(() => kms.DecryptAsync(blob))).ErrorCode);
        Assert.Equal("DisabledException", (await KmsClients.FailsAsync(() => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 }))).ErrorCode);
        await kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        Assert.Equal(new byte[] { 7 }, await kms.DecryptAsync(blob));
    }

    [Fact]
    public async Task PendingDeletionKey_EncryptDecrypt_KmsInvalidState()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(key.KeyId, [7]);
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        Assert.Equal("KMSInvalidStateException", (await KmsClients.FailsAsync(() => kms.EncryptAsync(key.KeyId, [1]))).ErrorCode);
        Assert.Equal("KMSInvalidStateException", (await KmsClients.FailsAsync(() => kms.DecryptAsync(blob))).ErrorCode);
        Assert.Equal("KMSInvalidStateException", (await KmsClients.FailsAsync(() => kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key.KeyId, NumberOfBytes = 16 }))).ErrorCode);
    }

    [Fact]
    public async Task ReEncrypt_ToOtherKeyAndContext_DecryptsUnderDestination()
    {
        using var kms = KmsClients.Kms(_server);
        var source = await kms.NewKeyAsync();
        var destination = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(source.KeyId, [4, 2], Context);
        var newContext = new Dictionary<string, string> { ["stage"] = "archive" };
        var response = await kms.ReEncryptAsync(new ReEncryptRequest
        {
            CiphertextBlob = new MemoryStream(blob.ToArray()),
            SourceEncryptionContext = Context,
            DestinationKeyId = destination.Arn,
            DestinationEncryptionContext = newContext,
        });
        Assert.Equal(source.Arn, response.SourceKeyId);
        Assert.Equal(destination.Arn, response.KeyId);
        Assert.Equal(new byte[] { 4, 2 }, await kms.DecryptAsync(response.CiphertextBlob, newContext));
        Assert.Equal("InvalidCiphertextException", (await KmsClients.FailsAsync(() => kms.DecryptAsync(response.CiphertextBlob, Context))).ErrorCode);
    }

    [Fact]
    public async Task ReEncrypt_WrongSourceContext_InvalidCiphertext()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(key.KeyId, [1], Context);
        var error = await KmsClients.FailsAsync(() => kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = key.KeyId }));
        Assert.Equal("InvalidCiphertextException", error.ErrorCode);
    }

    [Fact]
    public async Task ReEncrypt_WrongSourceKeyId_IncorrectKey()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var other = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(key.KeyId, [1]);
        var error = await KmsClients.FailsAsync(() => kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, SourceKeyId = other.KeyId, DestinationKeyId = key.KeyId }));
        Assert.Equal("IncorrectKeyException", error.ErrorCode);
    }

    [Fact]
    public async Task ReEncrypt_DisabledDestination_DisabledException()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var destination = await kms.NewKeyAsync();
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = destination.KeyId });
        var blob = await kms.EncryptAsync(key.KeyId, [1]);
        var error = await KmsClients.FailsAsync(() => kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = destination.KeyId }));
        Assert.Equal("DisabledException", error.ErrorCode);
    }

    [Theory]
    [InlineData("AES_256", null, 32)]
    [InlineData("AES_128", null, 16)]
    [InlineData(null, 1, 1)]
    [InlineData(null, 1024, 1024)]
    public async Task GenerateDataKey_SpecOrBytes_PlaintextOfThatSizeAndDecryptableBlob(string? spec, int? bytes, int expected)
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var response = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest
        {
            KeyId = key.KeyId,
            KeySpec = spec is null ? null : new DataKeySpec(spec),
            NumberOfBytes = bytes,
            EncryptionContext = Context,
        });
        Assert.Equal(key.Arn, response.KeyId);
        Assert.Equal(expected, response.Plaintext.Length);
        Assert.Equal(response.Plaintext.ToArray(), await kms.DecryptAsync(response.CiphertextBlob, Context));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("AES_256", 32)]
    [InlineData(null, 0)]
    [InlineData(null, 1025)]
    public async Task GenerateDataKey_BadSize_ValidationException(string? spec, int? bytes)
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest
        {
            KeyId = key.KeyId,
            KeySpec = spec is null ? null : new DataKeySpec(spec),
            NumberOfBytes = bytes,
        }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task GenerateDataKeyWithoutPlaintext_Aes256_BlobDecryptsTo32Bytes()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var response = await kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
        Assert.Equal(key.Arn, response.KeyId);
        Assert.Equal(32, (await kms.DecryptAsync(response.CiphertextBlob)).Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(1024)]
    public async Task GenerateRandom_NumberOfBytes_ThatManyBytes(int count)
    {
        using var kms = KmsClients.Kms(_server);
        var first = await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = count });
        Assert.Equal(count, first.Plaintext.Length);
        if (count >= 32)
        {
            var second = await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = count });
            Assert.NotEqual(first.Plaintext.ToArray(), second.Plaintext.ToArray());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    [InlineData(null)]
    public async Task GenerateRandom_OutOfRange_ValidationException(int? count)
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = count }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }
}

public sealed class KmsCryptoTestsOnSqlite(ServerFixture fixture) : KmsCryptoTests(fixture), IClassFixture<ServerFixture>;

public sealed class KmsCryptoTestsOnPostgres(PostgresServerFixture fixture) : KmsCryptoTests(fixture), IClassFixture<PostgresServerFixture>;
