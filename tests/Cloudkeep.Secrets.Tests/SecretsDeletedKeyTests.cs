using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Cloudkeep.Testing;

namespace Cloudkeep.Secrets.Tests;

/// <summary>
/// A file whose KMS key has been deleted (its waiting period over) cannot be decrypted. The server's
/// clock is moved past the deletion date; the AWS SDK for .NET corrects its own clock from the
/// server's RequestTimeTooSkewed answer and retries, as it does against AWS.
/// </summary>
public sealed class SecretsDeletedKeyTests : IAsyncLifetime
{
    private readonly ShiftableClock _clock = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(time: _clock);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Decrypt_KeyDeletedAfterItsWaitingPeriod_FailsWithoutPlaintext()
    {
        var credentials = new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);
        using var harness = new SecretsHarness(new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = _server.Endpoint }, credentials, withPgpKeyring: false);
        string arn;
        using (var kms = new AmazonKeyManagementServiceClient(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = _server.Endpoint, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 }))
        {
            arn = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "to be deleted" })).KeyMetadata.Arn;
        }

        await harness.EncryptFileAsync("gone.yaml", "password: hunter2\n", age: null, kms: arn);
        using (var kms = new AmazonKeyManagementServiceClient(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = _server.Endpoint, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 }))
        {
            await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = arn, PendingWindowInDays = 7 });
        }

        _clock.Offset = TimeSpan.FromDays(8);
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("gone.yaml"));
        Assert.Equal(SopsExitCodes.CouldNotRetrieveKey, exit);
        Assert.Empty(output);
        // The blob names a key that no longer exists: KMS cannot open it (InvalidCiphertextException).
        Assert.True(error.Contains("InvalidCiphertextException", StringComparison.Ordinal), error);
        Assert.Contains(arn, error, StringComparison.Ordinal);
    }
}
