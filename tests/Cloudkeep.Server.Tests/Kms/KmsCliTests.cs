using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>The AWS CLI as a user runs it: files in, base64 text out, decoded back to bytes.</summary>
public sealed class KmsCliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task AwsCli_EncryptFilebThenDecryptBlobFile_GivesOriginalBytes()
    {
        using var directory = new TempDirectory();
        var plaintext = new byte[] { 0, 1, 2, 255, 10, 13, 0x7F, 0x80 };
        await File.WriteAllBytesAsync(Path.Combine(directory.Path, "secret.bin"), plaintext);
        var created = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "kms", "create-key", "--description", "cli");
        Assert.True(created.ExitCode == 0, created.StandardError);
        var keyId = JsonDocument.Parse(created.StandardOutput).RootElement.GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;

        var result = await AwsCli.ShellAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, directory.Path, $"""
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" kms encrypt --key-id {keyId} --plaintext fileb://secret.bin \
              --encryption-context app=billing --query CiphertextBlob --output text | base64 -d > blob
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" kms decrypt --ciphertext-blob fileb://blob \
              --encryption-context app=billing --query Plaintext --output text | base64 -d > decrypted.bin
            """);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(plaintext, await File.ReadAllBytesAsync(Path.Combine(directory.Path, "decrypted.bin")));
    }

    [Fact]
    public async Task AwsCli_DecryptWithoutContext_InvalidCiphertext()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "secret.txt"), "hello");
        var created = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "kms", "create-key");
        var keyId = JsonDocument.Parse(created.StandardOutput).RootElement.GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        var result = await AwsCli.ShellAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, directory.Path, $"""
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" kms encrypt --key-id {keyId} --plaintext fileb://secret.txt \
              --encryption-context app=billing --query CiphertextBlob --output text | base64 -d > blob
            aws --endpoint-url "$CLOUDKEEP_ENDPOINT" kms decrypt --ciphertext-blob fileb://blob
            """);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("InvalidCiphertextException", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwsCli_CreateAliasAndDescribeByAlias_Works()
    {
        var created = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "kms", "create-key");
        var keyId = JsonDocument.Parse(created.StandardOutput).RootElement.GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        var alias = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "kms", "create-alias", "--alias-name", "alias/cli-test", "--target-key-id", keyId);
        Assert.True(alias.ExitCode == 0, alias.StandardError);
        var described = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "kms", "describe-key", "--key-id", "alias/cli-test");
        Assert.True(described.ExitCode == 0, described.StandardError);
        Assert.Equal(keyId, JsonDocument.Parse(described.StandardOutput).RootElement.GetProperty("KeyMetadata").GetProperty("KeyId").GetString());
    }
}
