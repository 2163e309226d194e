using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>One alias in two regions (the seed's two SOPS keys), role tags, and both in export.</summary>
public sealed class EstateRegionalKeysTests : EstateServerTest
{
    // The harness's default region is eu-west-2.
    private const string Estate = """
        accounts:
          main:
            management: true
            roles:
              sops-credentials-access:
                tags: {purpose: sops}
                trustPolicy:
                  Version: "2012-10-17"
                  Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::${account.main.id}:root"}, Action: sts:AssumeRole}]
                inlinePolicies:
                  SOPSCredentialsAccess:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Action: ["kms:Encrypt", "kms:Decrypt"]
                        Resource: ["${key.main.sops-credentials.arn}", "${key.main.sops-credentials@eu-west-1.arn}"]
            keys:
              sops-credentials: {description: SOPS credentials (eu-west-2)}
              sops-credentials@eu-west-1: {description: SOPS credentials (eu-west-1)}
        """;

    [Fact]
    public async Task Apply_OneAliasInTwoRegions_MakesTwoKeysAndRoundTripsThroughExport()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var apply = await Harness.ApplyAsync(file);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await Harness.PlanAsync(file)).Exit);
        var west1 = await DescribeAsync("eu-west-1");
        var west2 = await DescribeAsync("eu-west-2");
        Assert.Equal("SOPS credentials (eu-west-1)", west1.Description);
        Assert.Equal("SOPS credentials (eu-west-2)", west2.Description);
        Assert.StartsWith("arn:aws:kms:eu-west-1:", west1.Arn, StringComparison.Ordinal);

        var export = await Harness.ExportAsync("eu-west-1");
        Assert.True(export.Exit == 0, export.Error);
        Assert.Contains("sops-credentials@eu-west-1:", export.Output, StringComparison.Ordinal);
        Assert.Contains("${key.main.sops-credentials@eu-west-1.arn}", export.Output, StringComparison.Ordinal);
        Assert.Contains("purpose: sops", export.Output, StringComparison.Ordinal);

        // Applying the export to an empty server and exporting again gives the same file.
        await using var empty = await TestServer.StartAsync();
        using var other = new EstateHarness(empty);
        var exported = other.Write("exported.yaml", export.Output);
        var second = await other.ApplyAsync(exported);
        Assert.True(second.Exit == 0, second.Output + second.Error);
        Assert.Equal(export.Output, (await other.ExportAsync("eu-west-1")).Output);
    }

    [Fact]
    public async Task Apply_RoleTagsChanged_AreUpdatedInPlace()
    {
        var file = Harness.Write("estate.yaml", Estate);
        Assert.Equal(0, (await Harness.ApplyAsync(file)).Exit);
        var retagged = Harness.Write("retagged.yaml", Estate.Replace("tags: {purpose: sops}", "tags: {purpose: secrets, team: platform}", StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(retagged);

        Assert.Contains("~ role main/sops-credentials-access\n    tags: {\"purpose\":\"sops\"} -> {\"purpose\":\"secrets\",\"team\":\"platform\"}", plan.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(0, (await Harness.ApplyAsync(retagged)).Exit);
        Assert.Equal(0, (await Harness.PlanAsync(retagged)).Exit);
    }

    private async Task<KeyMetadata> DescribeAsync(string region)
    {
        using var kms = new AmazonKeyManagementServiceClient(new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = region });
        return (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/sops-credentials" })).KeyMetadata;
    }
}
