using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>Key lifecycle through the AWS SDK for .NET: create, describe, list, enable/disable, scheduled deletion.</summary>
public abstract class KmsKeyTests(ServerFixture fixture)
{
    private readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task CreateKey_Defaults_IsEnabledSymmetricKeyOfCallerAccountAndRegion()
    {
        using var kms = KmsClients.Kms(_server);
        var response = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "orders" });
        var key = response.KeyMetadata;
        Assert.True(Guid.TryParse(key.KeyId, out _));
        Assert.Equal($"arn:aws:kms:{KmsClients.Region}:{_server.AccountId}:key/{key.KeyId}", key.Arn);
        Assert.Equal(_server.AccountId, key.AWSAccountId);
        Assert.Equal("orders", key.Description);
        Assert.True(key.Enabled);
        Assert.Equal(KeyState.Enabled, key.KeyState);
        Assert.Equal(KeySpec.SYMMETRIC_DEFAULT, key.KeySpec);
        Assert.Equal(KeyUsageType.ENCRYPT_DECRYPT, key.KeyUsage);
        Assert.Equal(OriginType.AWS_KMS, key.Origin);
        Assert.Equal(KeyManagerType.CUSTOMER, key.KeyManager);
        Assert.Equal(["SYMMETRIC_DEFAULT"], key.EncryptionAlgorithms);
        Assert.True(key.CreationDate > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task CreateKey_WithTags_TagsAreListed()
    {
        using var kms = KmsClients.Kms(_server);
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest
        {
            Tags = [new Tag { TagKey = "team", TagValue = "payments" }, new Tag { TagKey = "env", TagValue = "" }],
        })).KeyMetadata;
        var tags = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId });
        Assert.Equal(["env=", "team=payments"], tags.Tags.Select(t => $"{t.TagKey}={t.TagValue}"));
    }

    [Theory]
    [InlineData("RSA_2048", null)]
    [InlineData("ECC_NIST_P256", null)]
    [InlineData("HMAC_256", null)]
    [InlineData(null, "RSA_4096")]
    public async Task CreateKey_OtherKeySpec_UnsupportedOperationAndNoKeyCreated(string? keySpec, string? masterKeySpec)
    {
        using var kms = KmsClients.Kms(_server);
        var before = await CountKeysAsync(kms);
        var error = await KmsClients.FailsAsync(() => kms.CreateKeyAsync(new CreateKeyRequest
        {
            KeySpec = keySpec is null ? null : new KeySpec(keySpec),
#pragma warning disable CS0618 // CustomerMasterKeySpec is deprecated, but clients still send it and KMS still reads it.
            CustomerMasterKeySpec = masterKeySpec is null ? null : new CustomerMasterKeySpec(masterKeySpec),
#pragma warning restore CS0618
            KeyUsage = keySpec == "HMAC_256" ? KeyUsageType.GENERATE_VERIFY_MAC : null,
        }));
        Assert.Equal("UnsupportedOperationException", error.ErrorCode);
        Assert.Equal(before, await CountKeysAsync(kms));
    }

    [Theory]
    [InlineData("NOT_A_SPEC", null, "ValidationException")]
    [InlineData("SYMMETRIC_DEFAULT", "SIGN_VERIFY", "ValidationException")]
    public async Task CreateKey_InvalidSpecOrUsage_ValidationException(string keySpec, string? usage, string code)
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.CreateKeyAsync(new CreateKeyRequest
        {
            KeySpec = new KeySpec(keySpec),
            KeyUsage = usage is null ? null : new KeyUsageType(usage),
        }));
        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task CreateKey_BothKeySpecs_ValidationException()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.CreateKeyAsync(new CreateKeyRequest
        {
            KeySpec = KeySpec.SYMMETRIC_DEFAULT,
#pragma warning disable CS0618 // as above: the deprecated member, sent together with KeySpec on purpose.
            CustomerMasterKeySpec = CustomerMasterKeySpec.SYMMETRIC_DEFAULT,
#pragma warning restore CS0618
        }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task CreateKey_ReservedTag_TagExceptionAndNoKeyCreated()
    {
        using var kms = KmsClients.Kms(_server);
        var before = await CountKeysAsync(kms);
        var error = await KmsClients.FailsAsync(() => kms.CreateKeyAsync(new CreateKeyRequest
        {
            Tags = [new Tag { TagKey = "aws:owner", TagValue = "x" }],
        }));
        Assert.Equal("TagException", error.ErrorCode);
        Assert.Equal(before, await CountKeysAsync(kms));
    }

    [Fact]
    public async Task DescribeKey_UnknownKey_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Guid.NewGuid().ToString() }));
        Assert.Equal("NotFoundException", error.ErrorCode);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("arn:aws:kms:eu-west-1:111122223333:thing/abc")]
    [InlineData("1234ABCD-12AB-34CD-56EF-1234567890AB")]
    public async Task DescribeKey_MalformedKeyId_NotFound(string keyId)
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeKey_ArnOfOtherRegion_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.Arn.Replace("eu-west-1", "us-east-1", StringComparison.Ordinal) }));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task ListKeys_LimitAndMarker_PagesThroughEveryKeyOnce()
    {
        using var kms = KmsClients.Kms(_server);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await kms.NewKeyAsync()).KeyId);
        }

        var seen = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Limit = 2, Marker = marker });
            Assert.True(page.Keys.Count <= 2);
            seen.AddRange(page.Keys.Select(k => k.KeyId));
            Assert.All(page.Keys, k => Assert.EndsWith("key/" + k.KeyId, k.KeyArn, StringComparison.Ordinal));
            marker = page.Truncated == true ? page.NextMarker : null;
            pages++;
        }
        while (marker is not null);

        Assert.True(pages >= 3);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), created.ToHashSet());
    }

    [Fact]
    public async Task ListKeys_BadMarker_InvalidMarkerException()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.ListKeysAsync(new ListKeysRequest { Marker = "!!not-ours!!" }));
        Assert.Equal("InvalidMarkerException", error.ErrorCode);
    }

    [Fact]
    public async Task DisableKey_ThenEnableKey_StateFollows()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        var disabled = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.Disabled, disabled.KeyState);
        Assert.False(disabled.Enabled);
        await kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.Arn });
        Assert.Equal(KeyState.Enabled, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task EnableKey_UnknownKey_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.EnableKeyAsync(new EnableKeyRequest { KeyId = Guid.NewGuid().ToString() }));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task ScheduleKeyDeletion_DefaultWindow_ThirtyDaysPendingDeletion()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var response = await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId });
        Assert.Equal(key.Arn, response.KeyId);
        Assert.Equal(KeyState.PendingDeletion, response.KeyState);
        Assert.Equal(30, response.PendingWindowInDays);
        Assert.InRange(response.DeletionDate!.Value, DateTime.UtcNow.AddDays(30).AddMinutes(-5), DateTime.UtcNow.AddDays(30).AddMinutes(5));
        var described = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.PendingDeletion, described.KeyState);
        Assert.False(described.Enabled);
        Assert.NotNull(described.DeletionDate);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    [InlineData(1)]
    public async Task ScheduleKeyDeletion_WindowOutside7To30_ValidationAndKeyUnchanged(int days)
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = days }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal(KeyState.Enabled, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task ScheduleKeyDeletion_Twice_KmsInvalidState()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        var error = await KmsClients.FailsAsync(() => kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 }));
        Assert.Equal("KMSInvalidStateException", error.ErrorCode);
    }

    [Fact]
    public async Task PendingDeletion_EnableOrDisable_KmsInvalidState()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        Assert.Equal("KMSInvalidStateException", (await KmsClients.FailsAsync(() => kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId }))).ErrorCode);
        Assert.Equal("KMSInvalidStateException", (await KmsClients.FailsAsync(() => kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }))).ErrorCode);
        Assert.Equal(KeyState.PendingDeletion, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task CancelKeyDeletion_PendingKey_BackToDisabled()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        var response = await kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId });
        Assert.Equal(key.Arn, response.KeyId);
        var described = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.Disabled, described.KeyState);
        Assert.Null(described.DeletionDate);
    }

    [Fact]
    public async Task CancelKeyDeletion_KeyNotPending_KmsInvalidState()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId }));
        Assert.Equal("KMSInvalidStateException", error.ErrorCode);
        Assert.Equal(KeyState.Enabled, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task UnimplementedOperation_ListGrants_AnswersNotImplemented()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var error = await KmsClients.FailsAsync(() => kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId }));
        Assert.Equal("NotImplemented", error.ErrorCode);
    }

    public static TheoryData<string> KeyOperations() =>
    [
        "DescribeKey", "EnableKey", "DisableKey", "ScheduleKeyDeletion", "CancelKeyDeletion", "Encrypt", "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext", "ReEncrypt", "GetKeyPolicy", "PutKeyPolicy", "ListKeyPolicies", "EnableKeyRotation",
        "DisableKeyRotation", "GetKeyRotationStatus", "RotateKeyOnDemand", "ListResourceTags", "TagResource", "UntagResource",
        "CreateAlias", "ListAliases", "DecryptWithKeyId",
    ];

    [Theory]
    [MemberData(nameof(KeyOperations))]
    public async Task KeyOperation_UnknownKeyId_NotFound(string operation)
    {
        using var kms = KmsClients.Kms(_server);
        var unknown = Guid.NewGuid().ToString();
        var known = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(known.KeyId, [1]);
        Func<Task> call = operation switch
        {
            "DescribeKey" => () => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = unknown }),
            "EnableKey" => () => kms.EnableKeyAsync(new EnableKeyRequest { KeyId = unknown }),
            "DisableKey" => () => kms.DisableKeyAsync(new DisableKeyRequest { KeyId = unknown }),
            "ScheduleKeyDeletion" => () => kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = unknown }),
            "CancelKeyDeletion" => () => kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = unknown }),
            "Encrypt" => () => kms.EncryptAsync(unknown, [1]),
            "GenerateDataKey" => () => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = unknown, KeySpec = DataKeySpec.AES_256 }),
            "GenerateDataKeyWithoutPlaintext" => () => kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = unknown, KeySpec = DataKeySpec.AES_256 }),
            "ReEncrypt" => () => kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = new MemoryStream(blob.ToArray()), DestinationKeyId = unknown }),
            "GetKeyPolicy" => () => kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = unknown }),
            "PutKeyPolicy" => () => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = unknown, Policy = "{}" }),
            "ListKeyPolicies" => () => kms.ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = unknown }),
            "EnableKeyRotation" => () => kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = unknown }),
            "DisableKeyRotation" => () => kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = unknown }),
            "GetKeyRotationStatus" => () => kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = unknown }),
            "RotateKeyOnDemand" => () => kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = unknown }),
            "ListResourceTags" => () => kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = unknown }),
            "TagResource" => () => kms.TagResourceAsync(new TagResourceRequest { KeyId = unknown, Tags = [new Tag { TagKey = "a", TagValue = "b" }] }),
            "UntagResource" => () => kms.UntagResourceAsync(new UntagResourceRequest { KeyId = unknown, TagKeys = ["a"] }),
            "CreateAlias" => () => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/to-nowhere", TargetKeyId = unknown }),
            "ListAliases" => () => kms.ListAliasesAsync(new ListAliasesRequest { KeyId = unknown }),
            _ => () => kms.DecryptAsync(blob, keyId: unknown),
        };
        var error = await KmsClients.FailsAsync(call);
        Assert.Equal("NotFoundException", error.ErrorCode);
    }

    [Fact]
    public async Task Keys_OtherRegion_NotVisible()
    {
        using var kms = KmsClients.Kms(_server);
        using var elsewhere = new AmazonKeyManagementServiceClient(
            new Amazon.Runtime.BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = _server.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var key = await kms.NewKeyAsync();
        var blob = await kms.EncryptAsync(key.KeyId, [1]);
        Assert.DoesNotContain((await elsewhere.ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys, k => k.KeyId == key.KeyId);
        Assert.Equal("NotFoundException", (await KmsClients.FailsAsync(() => elsewhere.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }))).ErrorCode);
        Assert.Equal("InvalidCiphertextException", (await KmsClients.FailsAsync(() => elsewhere.DecryptAsync(blob))).ErrorCode);
        var created = await elsewhere.NewKeyAsync();
        Assert.StartsWith("arn:aws:kms:us-east-1:", created.Arn, StringComparison.Ordinal);
    }

    private static async Task<int> CountKeysAsync(IAmazonKeyManagementService kms)
    {
        var count = 0;
        string? marker = null;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Limit = 1000, Marker = marker });
            count += page.Keys.Count;
            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);
        return count;
    }
}

public sealed class KmsKeyTestsOnSqlite(ServerFixture fixture) : KmsKeyTests(fixture), IClassFixture<ServerFixture>;

public sealed class KmsKeyTestsOnPostgres(PostgresServerFixture fixture) : KmsKeyTests(fixture), IClassFixture<PostgresServerFixture>;
