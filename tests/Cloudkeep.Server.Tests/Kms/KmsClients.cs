using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>The AWS SDK for .NET's KMS client pointed at a test server, and the helpers KMS tests share.</summary>
internal static class KmsClients
{
    public const string Region = "eu-west-1";

    public static AmazonKeyManagementServiceClient Kms(TestServer server) =>
        new(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = server.Endpoint,
            AuthenticationRegion = Region,
            MaxErrorRetry = 0,
        });

    public static async Task<KeyMetadata> NewKeyAsync(this IAmazonKeyManagementService kms, string description = "test key") =>
        (await kms.CreateKeyAsync(new CreateKeyRequest { Description = description })).KeyMetadata;

    public static async Task<MemoryStream> EncryptAsync(this IAmazonKeyManagementService kms, string keyId, byte[] plaintext, Dictionary<string, string>? context = null)
    {
        var response = await kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream(plaintext), EncryptionContext = context });
        return response.CiphertextBlob;
    }

    public static async Task<byte[]> DecryptAsync(this IAmazonKeyManagementService kms, MemoryStream blob, Dictionary<string, string>? context = null, string? keyId = null)
    {
        var response = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob.ToArray()), EncryptionContext = context, KeyId = keyId });
        return response.Plaintext.ToArray();
    }

    /// <summary>Runs a call expected to fail and returns AWS's error code.</summary>
    public static async Task<AmazonKeyManagementServiceException> FailsAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(call);
        return error;
    }
}
