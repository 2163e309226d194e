using Amazon.KeyManagementService.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>Key policies: AWS's default policy, Put/Get with the policy engine's validation, ListKeyPolicies.</summary>
public sealed class KmsPolicyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly TestServer _server = fixture.Server;

    private string Policy(string sid) => $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"{{sid}}","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{_server.AccountId}}:root"},"Action":"kms:*","Resource":"*"}]}
        """;

    [Fact]
    public async Task GetKeyPolicy_NoPolicyGiven_IsAwsDefaultPolicy()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var response = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "default" });
        Assert.Equal("default", response.PolicyName);
        using var policy = System.Text.Json.JsonDocument.Parse(response.Policy);
        var statement = Assert.Single(policy.RootElement.GetProperty("Statement").EnumerateArray());
        Assert.Equal("Enable IAM User Permissions", statement.GetProperty("Sid").GetString());
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal($"arn:aws:iam::{_server.AccountId}:root", statement.GetProperty("Principal").GetProperty("AWS").GetString());
        Assert.Equal("kms:*", statement.GetProperty("Action").GetString());
        Assert.Equal("*", statement.GetProperty("Resource").GetString());
    }

    [Fact]
    public async Task CreateKey_WithPolicy_PolicyIsStored()
    {
        using var kms = KmsClients.Kms(_server);
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Policy = Policy("Given") })).KeyMetadata;
        var response = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.Arn });
        Assert.Equal(Policy("Given"), response.Policy);
    }

    [Fact]
    public async Task CreateKey_MalformedPolicy_MalformedPolicyDocumentAndNoKey()
    {
        using var kms = KmsClients.Kms(_server);
        var before = (await kms.ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys.Count;
        var error = await KmsClients.FailsAsync(() => kms.CreateKeyAsync(new CreateKeyRequest { Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}" }));
        Assert.Equal("MalformedPolicyDocumentException", error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(before, (await kms.ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys.Count);
    }

    [Fact]
    public async Task PutKeyPolicy_Valid_GetReturnsIt()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "default", Policy = Policy("Replaced") });
        Assert.Equal(Policy("Replaced"), (await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy);

        // The new policy is in force for later requests (its compiled form is not the old one's).
        Assert.NotNull(await kms.EncryptAsync(key.KeyId, [1]));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}")]
    [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}")]
    public async Task PutKeyPolicy_Malformed_MalformedPolicyDocumentAndPolicyUnchanged(string policy)
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var before = (await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy;
        var error = await KmsClients.FailsAsync(() => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = policy }));
        Assert.Equal("MalformedPolicyDocumentException", error.ErrorCode);
        Assert.Equal(before, (await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy);
    }

    [Fact]
    public async Task PutKeyPolicy_Over32KB_MalformedPolicyDocument()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var big = Policy("Big" + new string('x', 33 * 1024));
        var error = await KmsClients.FailsAsync(() => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = big }));
        Assert.Equal("MalformedPolicyDocumentException", error.ErrorCode);
        Assert.Contains("32 KB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyPolicy_NameOtherThanDefault_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        Assert.Equal("NotFoundException", (await KmsClients.FailsAsync(() => kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "other" }))).ErrorCode);
        Assert.Equal("NotFoundException", (await KmsClients.FailsAsync(() => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "other", Policy = Policy("X") }))).ErrorCode);
    }

    private string OnlyAlice() => $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{_server.AccountId}}:user/alice"},"Action":"kms:*","Resource":"*"}]}
        """;

    [Fact]
    public async Task PutKeyPolicy_LocksOutCaller_MalformedPolicyDocumentAndPolicyUnchanged()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var before = (await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy;
        var error = await KmsClients.FailsAsync(() => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = OnlyAlice() }));
        Assert.Equal("MalformedPolicyDocumentException", error.ErrorCode);
        Assert.Contains("will not allow you to update the key policy", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy);
    }

    [Fact]
    public async Task PutKeyPolicy_LocksOutCallerWithBypass_StoredAndTheCallerIsLockedOut()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = OnlyAlice(), BypassPolicyLockoutSafetyCheck = true });

        // A key policy that does not allow the caller denies even the account's root user.
        var error = await KmsClients.FailsAsync(() => kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId }));
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Contains("because no resource-based policy allows the kms:GetKeyPolicy action", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateKey_PolicyLockingOutCaller_MalformedPolicyDocument()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.CreateKeyAsync(new CreateKeyRequest { Policy = OnlyAlice() }));
        Assert.Equal("MalformedPolicyDocumentException", error.ErrorCode);
    }

    [Fact]
    public async Task ListKeyPolicies_AnyKey_OnlyDefault()
    {
        using var kms = KmsClients.Kms(_server);
        var key = await kms.NewKeyAsync();
        var response = await kms.ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = key.KeyId });
        Assert.Equal(["default"], response.PolicyNames);
        Assert.False(response.Truncated);
    }

    [Fact]
    public async Task GetKeyPolicy_UnknownKey_NotFound()
    {
        using var kms = KmsClients.Kms(_server);
        var error = await KmsClients.FailsAsync(() => kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = Guid.NewGuid().ToString() }));
        Assert.Equal("NotFoundException", error.ErrorCode);
    }
}
