using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Cloudkeep.Secrets;
using Cloudkeep.Secrets.Keys;
using Cloudkeep.Client;

namespace Cloudkeep.Estate.Tests;

/// <summary>Group memberships from a separate file, plain or encrypted with `cloudkeep secrets`.</summary>
public sealed class EstateMembershipsTests : EstateServerTest
{
    private const string Estate = """
        accounts:
          main:
            management: true
            memberships: memberships.yaml
            groups:
              developers: {}
              admins: {}
            users:
              alice: {groups: [admins]}
              bob: {}
        """;

    private const string Memberships = "developers: [alice, bob]\n";

    [Fact]
    public async Task Apply_SopsEncryptedMemberships_AreDecryptedAndMerged()
    {
        using var kms = new AmazonKeyManagementServiceClient(Harness.Credentials, new AmazonKeyManagementServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = "eu-west-2" });
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "memberships" })).KeyMetadata.Arn;
        var plain = Harness.Write("plain.yaml", Memberships);
        using var encrypted = new MemoryStream();
        var environment = new SecretsEnvironment { GetVariable = name => name == "AWS_ENDPOINT_URL" ? Server.Endpoint : null, Credentials = Harness.Credentials };
        var exit = await new SecretsRunner(environment, TimeProvider.System, encrypted, TextReader.Null, TextWriter.Null, Path.GetDirectoryName(plain)!)
            .EncryptAsync(new SecretsArguments { File = plain, Kms = key }, CancellationToken.None);
        Assert.Equal(0, exit);
        var sops = System.Text.Encoding.UTF8.GetString(encrypted.ToArray());
        Assert.DoesNotContain("alice", sops, StringComparison.Ordinal);
        Harness.Write("memberships.yaml", sops);
        var file = Harness.Write("estate.yaml", Estate);

        var apply = await Harness.ApplyAsync(file);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(["admins", "developers"], await GroupsAsync("alice"));
        Assert.Equal(["developers"], await GroupsAsync("bob"));
        Assert.Equal(0, (await Harness.PlanAsync(file)).Exit);
    }

    [Fact]
    public void Parse_PlainMemberships_MergeIntoTheUsersGroups()
    {
        Harness.Write("memberships.yaml", Memberships);
        var document = EstateParser.ParseFile(Harness.Write("estate.yaml", Estate));

        Assert.Equal("""["admins","developers"]""", document.Resources.Single(r => r.Name == "alice").Fields["groups"]);
        Assert.Equal("""["developers"]""", document.Resources.Single(r => r.Name == "bob").Fields["groups"]);
    }

    [Fact]
    public void Parse_MembershipOfAnUndeclaredUser_IsReported()
    {
        Harness.Write("memberships.yaml", "developers: [mallory]\n");

        var error = Assert.Throws<EstateValidationException>(() => EstateParser.ParseFile(Harness.Write("estate.yaml", Estate)));

        Assert.Contains(error.Errors, e => e.Contains("user 'mallory' is not declared in account 'main'", StringComparison.Ordinal));
    }

    private async Task<string[]> GroupsAsync(string user)
    {
        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(Server.Endpoint), Harness.Credentials, TimeProvider.System);
        var groups = await iam.ListAsync("ListGroupsForUser", [new("UserName", user)], "Groups", CancellationToken.None);
        return [.. groups.Select(g => IamClient.Child(g, "GroupName")!).Order(StringComparer.Ordinal)];
    }
}
