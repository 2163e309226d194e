using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services;
using Cloudkeep.Services.Kms;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>
/// The KMS handlers called directly over a real SQLite store with a fake clock: what the pipeline
/// is told to authorize, and what happens when time passes (automatic rotation, the end of a
/// deletion window) — which a signed request cannot reach, since SigV4 refuses a skewed clock.
/// </summary>
public sealed class KmsHandlerTests : IAsyncLifetime
{
    private const string Account = "111122223333";
    private const string Region = "eu-west-1";

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private IMetadataStore _store = null!;
    private OperationRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _store = MetadataStoreFactory.Create(null, _directory.Path);
        await _store.MigrateAsync(TimeProvider.System, CancellationToken.None);
        _registry = new OperationRegistry(ServiceCatalog.CreateKmsHandlers(new KmsKeyStore(new KmsKeyRepository(_store), new SecretBox(RandomNumberGenerator.GetBytes(32)), _time)));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task AutomaticRotation_PeriodPassed_NextEncryptUsesNewMaterialAndOldStillDecrypts()
    {
        var keyId = await CreateKeyAsync();
        await RunAsync("EnableKeyRotation", new JsonObject { ["KeyId"] = keyId, ["RotationPeriodInDays"] = 90 });
        var before = await EncryptAsync(keyId, [1]);
        _time.Advance(TimeSpan.FromDays(91));
        var after = await EncryptAsync(keyId, [2]);

        Assert.Equal(1, MaterialVersion(before));
        Assert.Equal(2, MaterialVersion(after));
        Assert.Equal(new byte[] { 1 }, await DecryptAsync(before));
        Assert.Equal(new byte[] { 2 }, await DecryptAsync(after));
        var status = await RunAsync("GetKeyRotationStatus", new JsonObject { ["KeyId"] = keyId });
        Assert.Equal(_time.GetUtcNow().AddDays(90), status["NextRotationDate"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task ScheduledDeletion_WindowEnded_KeyAndAliasGone()
    {
        var keyId = await CreateKeyAsync();
        var blob = await EncryptAsync(keyId, [1]);
        await RunAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/doomed", ["TargetKeyId"] = keyId });
        await RunAsync("ScheduleKeyDeletion", new JsonObject { ["KeyId"] = keyId, ["PendingWindowInDays"] = 7 });
        _time.Advance(TimeSpan.FromDays(6));
        Assert.Equal("PendingDeletion", (await RunAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId }))["KeyMetadata"]!["KeyState"]!.GetValue<string>());

        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal("NotFoundException", (await Assert.ThrowsAsync<AwsException>(() => RunAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId }))).Code);
        Assert.Equal("NotFoundException", (await Assert.ThrowsAsync<AwsException>(() => RunAsync("DescribeKey", new JsonObject { ["KeyId"] = "alias/doomed" }))).Code);
        Assert.Empty((JsonArray)(await RunAsync("ListAliases", []))["Aliases"]!);
        var keys = (JsonArray)(await RunAsync("ListKeys", []))["Keys"]!;
        Assert.DoesNotContain(keys, k => k!["KeyId"]!.GetValue<string>() == keyId);
        Assert.Equal("InvalidCiphertextException", (await Assert.ThrowsAsync<AwsException>(() => DecryptAsync(blob))).Code);
    }

    [Fact]
    public async Task Describe_Encrypt_KeyArnKeyPolicyAccountAndConditionKeys()
    {
        var keyId = await CreateKeyAsync();
        var target = await DescribeAsync("Encrypt", new JsonObject
        {
            ["KeyId"] = keyId,
            ["Plaintext"] = JsonValue.Create(new byte[] { 1 }),
            ["EncryptionContext"] = new JsonObject { ["tenant"] = "acme", ["app"] = "billing" },
        });
        var arn = $"arn:aws:kms:{Region}:{Account}:key/{keyId}";
        Assert.Equal("kms:Encrypt", target.Action);
        Assert.Equal([arn], target.Resources);
        Assert.True(target.ResourcePolicyRequired);
        Assert.Equal(Account, target.ResourceAccount);
        Assert.NotNull(target.ResourcePolicy);
        Assert.Equal(arn, target.ResourcePolicy.Id);
        Assert.Contains("Enable IAM User Permissions", target.ResourcePolicy.Source, StringComparison.Ordinal);
        var conditions = target.ConditionKeys!;
        Assert.Equal(["acme"], conditions["kms:EncryptionContext:tenant"]);
        Assert.Equal(["billing"], conditions["kms:EncryptionContext:app"]);
        Assert.Equal(["app", "tenant"], conditions["kms:EncryptionContextKeys"]);
        Assert.Equal([Account], conditions["kms:CallerAccount"]);
    }

    [Fact]
    public async Task Describe_Decrypt_KeyFoundFromBlob()
    {
        var keyId = await CreateKeyAsync();
        var blob = await EncryptAsync(keyId, [5]);
        var target = await DescribeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = JsonValue.Create(blob) });
        Assert.Equal("kms:Decrypt", target.Action);
        Assert.Equal([$"arn:aws:kms:{Region}:{Account}:key/{keyId}"], target.Resources);
        Assert.True(target.ResourcePolicyRequired);
    }

    [Fact]
    public async Task Describe_AfterPutKeyPolicy_NewPolicyCompiled()
    {
        var keyId = await CreateKeyAsync();
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"OnlyThis","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:Describe*","Resource":"*"}]}""";
        await RunAsync("PutKeyPolicy", new JsonObject { ["KeyId"] = keyId, ["Policy"] = policy, ["BypassPolicyLockoutSafetyCheck"] = true });
        var target = await DescribeAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId });
        Assert.Equal(policy, target.ResourcePolicy!.Source);
    }

    [Theory]
    [InlineData("CreateKey")]
    [InlineData("ListKeys")]
    [InlineData("ListAliases")]
    [InlineData("GenerateRandom")]
    public async Task Describe_AccountOperations_StarAndNoKeyPolicy(string operation)
    {
        var target = await DescribeAsync(operation, new JsonObject { ["NumberOfBytes"] = 8 });
        Assert.Equal("kms:" + operation, target.Action);
        Assert.Equal(["*"], target.Resources);
        Assert.Null(target.ResourcePolicy);
        Assert.False(target.ResourcePolicyRequired);
    }

    [Fact]
    public void Registry_KmsHandlers_AreTheTwentySevenOperations()
    {
        var kms = _registry.All.Where(h => h.Service == "kms").ToList();
        Assert.Equal(27, kms.Count);
    }

    [Fact]
    public void Readme_EveryKmsOperation_IsListedInTheFeatureTable()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var row = File.ReadLines(Path.Combine(directory.FullName, "README.md")).Single(l => l.StartsWith("| KMS |", StringComparison.Ordinal));
        var missing = _registry.All.Where(h => h.Service == "kms" && !row.Contains(h.Operation, StringComparison.Ordinal)).Select(h => h.Operation).ToList();
        Assert.True(missing.Count == 0, "README's KMS row lacks: " + string.Join(", ", missing));
    }

    private async Task<string> CreateKeyAsync() =>
        (await RunAsync("CreateKey", []))["KeyMetadata"]!["KeyId"]!.GetValue<string>();

    private async Task<byte[]> EncryptAsync(string keyId, byte[] plaintext) =>
        (await RunAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = JsonValue.Create(plaintext) }))["CiphertextBlob"]!.GetValue<byte[]>();

    private async Task<byte[]> DecryptAsync(byte[] blob) =>
        (await RunAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = JsonValue.Create(blob) }))["Plaintext"]!.GetValue<byte[]>();

    private static int MaterialVersion(byte[] blob) => (blob[17] << 24) | (blob[18] << 16) | (blob[19] << 8) | blob[20];

    private static OperationRequest Request(string operation, JsonObject input) => new()
    {
        Service = "kms",
        Operation = operation,
        Input = input,
        Caller = Caller.RootOf(Account, TestServer.RootAccessKeyId),
        Region = Region,
        RequestId = Guid.NewGuid().ToString(),
    };

    private async Task<AuthorizationTarget> DescribeAsync(string operation, JsonObject input)
    {
        Assert.True(_registry.TryGet("kms", operation, out var handler));
        return await handler.DescribeAsync(Request(operation, input), CancellationToken.None);
    }

    private async Task<JsonObject> RunAsync(string operation, JsonObject input)
    {
        Assert.True(_registry.TryGet("kms", operation, out var handler));
        var request = Request(operation, input);
        await handler.DescribeAsync(request, CancellationToken.None);
        return (await handler.HandleAsync(request, CancellationToken.None)).Output;
    }
}
