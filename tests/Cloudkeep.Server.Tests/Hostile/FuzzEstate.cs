using System.Text;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Hostile;

/// <summary>
/// The server the model-driven tests run against, with the fixtures their plausible values name:
/// the bucket fuzz-bucket holding fuzz-key, a KMS key behind alias/fuzz and a ciphertext of it, the
/// user fuzz-user, the group fuzz-group and the role fuzz-role trusting the account.
/// </summary>
public sealed class FuzzEstate : IAsyncDisposable
{
    // Plausible AssumeRole requests pass session tags and a source identity, which AWS lets through only where the
    // trust policy allows sts:TagSession and sts:SetSourceIdentity as well.
    private const string Trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\",\"sts:SetSourceIdentity\"]}]}";

    private FuzzEstate(TestServer server)
    {
        Server = server;
    }

    public TestServer Server { get; }

    public HttpClient Http { get; } = RawRequest.NewClient();

    public string KeyId { get; private set; } = "";

    /// <summary>Plausible values by member name that only exist once the estate is made (the key's id, a ciphertext).</summary>
    public Dictionary<string, string> Fixtures { get; } = new(StringComparer.Ordinal);

    public static async Task<FuzzEstate> StartAsync()
    {
        var estate = new FuzzEstate(await TestServer.StartAsync());
        using var kms = Kms.KmsClients.Kms(estate.Server);
        estate.KeyId = (await kms.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest())).KeyMetadata.KeyId;
        var ciphertext = Convert.ToBase64String((await Kms.KmsClients.EncryptAsync(kms, estate.KeyId, "fuzz"u8.ToArray())).ToArray());
        foreach (var member in new[] { "KeyId", "TargetKeyId", "DestinationKeyId" })
        {
            estate.Fixtures[member] = estate.KeyId;
        }

        estate.Fixtures["CiphertextBlob"] = ciphertext;

        // Cost Explorer's DateInterval: dates in its yyyy-MM-dd pattern, start before end.
        estate.Fixtures["Start"] = "2026-01-01";
        estate.Fixtures["End"] = "2026-02-01";
        await estate.RestoreAsync();
        return estate;
    }

    /// <summary>Puts back what a request that was let through may have removed or changed; "already there" answers are fine.</summary>
    public async Task RestoreAsync()
    {
        using var s3 = S3Clients.Root(Server);
        try
        {
            await s3.PutBucketAsync("fuzz-bucket");
        }
        catch (Amazon.S3.AmazonS3Exception)
        {
        }

        // A request let through may have set a default encryption (aws:kms:dsse) that S3 then refuses to write with.
        await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = "fuzz-bucket" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "fuzz-bucket", Key = "fuzz-key", ContentBody = "fuzz" });
        using var kms = Kms.KmsClients.Kms(Server);
        foreach (var repair in new Func<Task>[]
        {
            () => kms.CancelKeyDeletionAsync(KeyId),
            () => kms.EnableKeyAsync(KeyId),
            () => kms.PutKeyPolicyAsync(KeyId, Cloudkeep.Services.Kms.KmsKeyPolicies.Default(Server.AccountId), "default"),
            () => kms.CreateAliasAsync("alias/fuzz", KeyId),
            () => kms.UpdateAliasAsync("alias/fuzz", KeyId),
        })
        {
            try
            {
                await repair();
            }
            catch (Amazon.KeyManagementService.AmazonKeyManagementServiceException)
            {
            }
        }

        await RootIamAsync("CreateUser", ignoreFailure: true, ("UserName", "fuzz-user"));
        await RootIamAsync("CreateGroup", ignoreFailure: true, ("GroupName", "fuzz-group"));
        await RootIamAsync("CreateRole", ignoreFailure: true, ("RoleName", "fuzz-role"), ("AssumeRolePolicyDocument", Trust));
        await RootIamAsync("UpdateAssumeRolePolicy", ignoreFailure: true, ("RoleName", "fuzz-role"), ("PolicyDocument", Trust));
        await RootIamAsync("DeleteRolePermissionsBoundary", ignoreFailure: true, ("RoleName", "fuzz-role"));
    }

    /// <summary>An IAM query call by the account's root, signed by hand; its XML answer.</summary>
    public async Task<string> RootIamAsync(string action, bool ignoreFailure, params (string Name, string Value)[] parameters)
    {
        var request = new RawRequest { Method = "POST", ContentType = "application/x-www-form-urlencoded; charset=utf-8" };
        request.Body = Encoding.ASCII.GetBytes(string.Join("&", new[] { ("Action", action), ("Version", "2010-05-08") }.Concat(parameters)
            .Select(p => RawRequest.Encode(RawRequest.Utf8(p.Item1)) + "=" + RawRequest.Encode(RawRequest.Utf8(p.Item2)))));
        using var message = request.ToSignedMessage(new Uri(Server.Endpoint), "iam", "us-east-1", TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, DateTimeOffset.UtcNow);
        using var response = await Http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(ignoreFailure || response.IsSuccessStatusCode, $"{action}: {text}");
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
