using System.Text.RegularExpressions;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Cloudkeep.Testing;

namespace Cloudkeep.Secrets.Tests;

/// <summary>One real server shared by the KMS tests of a class; each test makes its own key.</summary>
public sealed class KmsServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>KMS master keys through the AWS SDK for .NET against a real Cloudkeep server on loopback.</summary>
public sealed partial class SecretsKmsTests(KmsServerFixture fixture) : IClassFixture<KmsServerFixture>
{
    private const string Plain = "password: hunter2\nport: 5432\n";

    [GeneratedRegex(@"app: web")]
    private static partial Regex ContextValue();

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task EncryptThenDecrypt_KmsKeyWithContext_WritesTheSopsKmsEntryAndRoundTrips()
    {
        using var harness = Harness();
        var arn = await NewKeyAsync();
        var encrypted = await harness.EncryptFileAsync("k.yaml", Plain, age: null, kms: arn, context: "app:web,env:prod");
        Assert.Contains($"    kms:\n        - arn: {arn}\n          context:\n              app: web\n              env: prod\n          created_at: \"", encrypted, StringComparison.Ordinal);
        Assert.Matches(@"\n          enc: [A-Za-z0-9+/=]{40,}\n          aws_profile: """"\n", encrypted);

        var (exit, output, error) = await harness.DecryptAsync(harness.Path("k.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal(Plain, output);
    }

    [Fact]
    public async Task Decrypt_WrongEncryptionContext_FailsWithoutPlaintext()
    {
        using var harness = Harness();
        var encrypted = await harness.EncryptFileAsync("c.yaml", Plain, age: null, kms: await NewKeyAsync(), context: "app:web");
        File.WriteAllText(harness.Path("c.yaml"), ContextValue().Replace(encrypted, "app: api"));
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("c.yaml"));
        Assert.Equal(SopsExitCodes.CouldNotRetrieveKey, exit);
        Assert.Empty(output);
        Assert.Contains("InvalidCiphertext", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_DisabledKey_FailsWithoutPlaintext()
    {
        using var harness = Harness();
        var arn = await NewKeyAsync();
        await harness.EncryptFileAsync("d.yaml", Plain, age: null, kms: arn);
        using var kms = Kms();
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = arn });
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("d.yaml"));
        Assert.Equal(SopsExitCodes.CouldNotRetrieveKey, exit);
        Assert.Empty(output);
        Assert.Contains("Disabled", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_KeyPendingDeletion_FailsWithoutPlaintext()
    {
        using var harness = Harness();
        var arn = await NewKeyAsync();
        await harness.EncryptFileAsync("p.yaml", Plain, age: null, kms: arn);
        using var kms = Kms();
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = arn, PendingWindowInDays = 7 });
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("p.yaml"));
        Assert.Equal(SopsExitCodes.CouldNotRetrieveKey, exit);
        Assert.Empty(output);
        Assert.Contains("KMSInvalidState", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypt_UnknownKey_FailsWithNoEncryptionKeyFound()
    {
        using var harness = Harness();
        var path = harness.Write("u.yaml", Plain);
        var (exit, _, error) = await harness.EncryptAsync(new SecretsArguments { File = path, Kms = $"arn:aws:kms:eu-west-1:{Server.AccountId}:key/00000000-0000-0000-0000-000000000000" });
        Assert.Equal(SopsExitCodes.NoEncryptionKeyFound, exit);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloudkeepBinary_WithEnvironmentCredentialsAndEndpoint_DecryptsThroughTheSdkDefaultChain()
    {
        using var harness = Harness();
        var arn = await NewKeyAsync();
        await harness.EncryptFileAsync("e.json", "{\n\t\"token\": \"abc\"\n}\n", age: null, kms: arn);
        var result = await ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"), "secrets", "decrypt", harness.Path("e.json")], new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_ENDPOINT_URL"] = Server.Endpoint,
            ["HOME"] = harness.Directory,
        });
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("{\n\t\"token\": \"abc\"\n}\n", result.StandardOutput);
    }

    [Fact]
    public async Task CloudkeepBinary_EntryNamingAnAwsProfile_UsesThatProfilesCredentials()
    {
        using var harness = Harness();
        var arn = await NewKeyAsync();
        var encrypted = await harness.EncryptFileAsync("p.yaml", Plain, age: null, kms: arn);
        File.WriteAllText(harness.Path("p.yaml"), encrypted.Replace("aws_profile: \"\"", "aws_profile: sops", StringComparison.Ordinal));
        var credentials = harness.Write("credentials", $"[sops]\naws_access_key_id = {TestServer.RootAccessKeyId}\naws_secret_access_key = {TestServer.RootSecretAccessKey}\n");
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentials,
            ["AWS_ENDPOINT_URL"] = Server.Endpoint,
            ["HOME"] = harness.Directory,
        };
        var cloudkeep = Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll");
        var result = await ProcessRunner.RunAsync("dotnet", [cloudkeep, "secrets", "decrypt", harness.Path("p.yaml")], environment);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(Plain, result.StandardOutput);

        File.WriteAllText(credentials, "[other]\naws_access_key_id = x\naws_secret_access_key = y\n");
        result = await ProcessRunner.RunAsync("dotnet", [cloudkeep, "secrets", "decrypt", harness.Path("p.yaml")], environment);
        Assert.Equal(SopsExitCodes.CouldNotRetrieveKey, result.ExitCode);
        Assert.Contains("AWS profile 'sops' not found", result.StandardError, StringComparison.Ordinal);
    }

    private SecretsHarness Harness() => new(
        new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = Server.Endpoint },
        new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey),
        withPgpKeyring: false);

    private AmazonKeyManagementServiceClient Kms() =>
        new(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = Server.Endpoint,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
        });

    private async Task<string> NewKeyAsync()
    {
        using var kms = Kms();
        return (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "sops test key" })).KeyMetadata.Arn;
    }
}
