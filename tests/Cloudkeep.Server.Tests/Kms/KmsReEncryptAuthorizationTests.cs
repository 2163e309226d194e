using Amazon.KeyManagementService.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>ReEncrypt is authorized on both keys: kms:ReEncryptFrom on the source, kms:ReEncryptTo on the destination.</summary>
public sealed class KmsReEncryptAuthorizationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    private string Denying(string action) => $$"""
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{_server.AccountId}}:root"},"Action":"kms:*","Resource":"*"},
          {"Sid":"No{{action}}","Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:{{action}}","Resource":"*"}]}
        """;

    [Fact]
    public async Task ReEncrypt_DestinationKeyPolicyDeniesReEncryptTo_AccessDenied()
    {
        using var kms = KmsClients.Kms(_server);
        var source = await kms.NewKeyAsync();
        var destination = await kms.NewKeyAsync();
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = destination.KeyId, Policy = Denying("ReEncryptTo") });
        var blob = await kms.EncryptAsync(source.KeyId, [1, 2, 3]);

        var error = await KmsClients.FailsAsync(() => kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = destination.KeyId }));
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Contains("kms:ReEncryptTo", error.Message, StringComparison.Ordinal);
        Assert.Contains(destination.Arn, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReEncrypt_SourceKeyPolicyDeniesReEncryptFrom_AccessDenied()
    {
        using var kms = KmsClients.Kms(_server);
        var source = await kms.NewKeyAsync();
        var destination = await kms.NewKeyAsync();
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = source.KeyId, Policy = Denying("ReEncryptFrom") });
        var blob = await kms.EncryptAsync(source.KeyId, [1, 2, 3]);

        var error = await KmsClients.FailsAsync(() => kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = destination.KeyId }));
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Contains("kms:ReEncryptFrom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReEncrypt_SameKeyDeniedReEncryptToOnly_AccessDenied()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = Denying("ReEncryptTo") });
        var blob = await kms.EncryptAsync(key.KeyId, [1, 2, 3]);

        var error = await KmsClients.FailsAsync(() => kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = key.KeyId }));
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Contains("kms:ReEncryptTo", error.Message, StringComparison.Ordinal);
    }
}
