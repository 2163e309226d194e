using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Client;
using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>What the file leaves out is deleted, only with --allow-delete, with what only it holds.</summary>
public sealed class EstateDeletionTests : EstateServerTest
{
    private const string Kept = """
        accounts:
          main:
            management: true
            alias: example-estate
        """;

    private string _full = "";

    private AWSCredentials Root => new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);

    protected override async Task SetUpAsync()
    {
        _full = Harness.Write("full.yaml", EstateApplyTests.Estate);
        var apply = await Harness.ApplyAsync(_full);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
    }

    [Fact]
    public async Task Plan_ResourcesLeftOut_AreListedForDeletionWithoutTheirInlinePolicies()
    {
        var (exit, output, _) = await Harness.PlanAsync(Harness.Write("kept.yaml", Kept));

        Assert.Equal(2, exit);
        foreach (var line in new[] { "- policy main/read-assets", "- group main/developers", "- user main/alice", "- role main/deployer", "- key main/backups", "- bucket main/example-assets" })
        {
            Assert.Contains(line + "\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }

        // Inline policies go with their group or role, so they are not listed apart.
        Assert.DoesNotContain("group-policy", output, StringComparison.Ordinal);
        Assert.DoesNotContain("role-policy", output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 0 to update, 6 to delete.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_DeletionsWithoutAllowDelete_ChangesNothing()
    {
        var kept = Harness.Write("kept.yaml", Kept);

        var (exit, _, error) = await Harness.ApplyAsync(kept);

        Assert.Equal(1, exit);
        Assert.Contains("the plan deletes 6 resource(s)", error, StringComparison.Ordinal);
        Assert.Contains("--allow-delete", error, StringComparison.Ordinal);
        Assert.Equal(0, (await Harness.PlanAsync(_full)).Exit);
    }

    [Fact]
    public async Task Apply_AllowDelete_DeletesEverythingLeftOut_AndASecondPlanIsEmpty()
    {
        var kept = Harness.Write("kept.yaml", Kept);

        var apply = await Harness.ApplyDeletingAsync(kept);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Contains("deleting user main/alice ... done", apply.Output, StringComparison.Ordinal);
        Assert.Contains("deleting policy main/read-assets ... done", apply.Output, StringComparison.Ordinal);
        Assert.Contains("Apply complete: 0 to create, 0 to update, 6 to delete.", apply.Output, StringComparison.Ordinal);
        var plan = await Harness.PlanAsync(kept);
        Assert.True(plan.Exit == 0, plan.Output);

        // The key is not destroyed at once: its deletion is scheduled, in AWS's default window.
        using var kms = new AmazonKeyManagementServiceClient(Root, new AmazonKeyManagementServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = "eu-west-2" });
        var keys = await kms.ListKeysAsync(new ListKeysRequest());
        var states = new List<KeyState>();
        foreach (var key in keys.Keys)
        {
            states.Add((await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
        }

        Assert.Contains(KeyState.PendingDeletion, states);
        var aliases = await kms.ListAliasesAsync(new ListAliasesRequest());
        Assert.DoesNotContain(aliases.Aliases, a => a.AliasName == "alias/backups");

        // Applying the full file again brings it all back.
        Assert.Equal(0, (await Harness.ApplyAsync(_full)).Exit);
        Assert.Equal(0, (await Harness.PlanAsync(_full)).Exit);
    }

    [Fact]
    public async Task Apply_InlinePolicyLeftOut_DeletesOnlyThatPolicy()
    {
        var file = Harness.Write("estate.yaml", EstateApplyTests.Estate.Replace("""
                    inlinePolicies:
                      self:
                        Version: "2012-10-17"
                        Statement: [{Effect: Allow, Action: "iam:GetUser", Resource: "*"}]

            """, "", StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(file);
        Assert.Contains("- group-policy main/developers/self", plan.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 0 to update, 1 to delete.", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyDeletingAsync(file);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await Harness.PlanAsync(file)).Exit);
    }

    [Fact]
    public async Task Apply_BucketWithObjects_IsRefusedByS3AndKept()
    {
        using var s3 = new AmazonS3Client(Root, new AmazonS3Config { ServiceURL = Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "eu-west-2" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "example-assets", Key = "keep-me.txt", ContentBody = "data" });
        var withoutBucket = EstateApplyTests.Estate[..EstateApplyTests.Estate.IndexOf("\n    buckets:", StringComparison.Ordinal)]
            .Replace("Resource: ${bucket.main.example-assets.arn}/*", "Resource: arn:aws:s3:::example-assets/*", StringComparison.Ordinal);
        var file = Harness.Write("estate.yaml", withoutBucket);

        var (exit, _, error) = await Harness.ApplyDeletingAsync(file);

        Assert.Equal(1, exit);
        Assert.Contains("bucket main/example-assets: delete failed: BucketNotEmpty", error, StringComparison.Ordinal);
        var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "example-assets" });
        Assert.Equal("keep-me.txt", Assert.Single(objects.S3Objects).Key);
    }

    [Fact]
    public async Task Plan_CallerLeftOut_IsKeptWithANote()
    {
        await Harness.UseAdministratorAsync();
        var kept = Harness.Write("kept.yaml", Kept);

        var plan = await Harness.PlanAsync(kept);

        Assert.Contains("note: user main/estate-admin is not in the file but runs this command, so it is kept", plan.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("- user main/estate-admin", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyDeletingAsync(kept);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
    }

    [Fact]
    public async Task Plan_FixedFieldChanged_IsAReplacementThatNeedsAllowDelete()
    {
        var moved = Harness.Write("moved.yaml", EstateApplyTests.Estate.Replace("""
                  deployer:
                    description: Deploys the site
            """, """
                  deployer:
                    path: /ops/
                    description: Deploys the site
            """, StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(moved);
        Assert.Contains("-/+ role main/deployer", plan.Output, StringComparison.Ordinal);
        Assert.Contains("    path: / -> /ops/  (forces replacement)", plan.Output, StringComparison.Ordinal);
        var refused = await Harness.ApplyAsync(moved);
        Assert.True(refused.Exit == 1, refused.Output + refused.Error);
        Assert.Equal(0, (await Harness.PlanAsync(_full)).Exit);

        var apply = await Harness.ApplyDeletingAsync(moved);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Contains("replacing role main/deployer ... done", apply.Output, StringComparison.Ordinal);
        var after = await Harness.PlanAsync(moved);
        Assert.True(after.Exit == 0, apply.Output + after.Output + after.Error);
        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(Server.Endpoint), Root, TimeProvider.System);
        var role = await iam.CallAsync("GetRole", [new("RoleName", "deployer")], CancellationToken.None);
        Assert.Equal("/ops/", IamClient.Descendant(role, "Path"));
        var attached = await iam.CallAsync("ListAttachedRolePolicies", [new("RoleName", "deployer")], CancellationToken.None);
        Assert.Contains("read-assets", attached.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ManagedPolicyReplaced_IsAttachedAgainWhereTheFileAttachesIt()
    {
        var described = Harness.Write("described.yaml", EstateApplyTests.Estate.Replace("description: Read the assets bucket", "description: Read the public assets", StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(described);
        Assert.Contains("-/+ policy main/read-assets", plan.Output, StringComparison.Ordinal);
        Assert.Contains("~ group main/developers\n    policies: (detached by the replacement of policy main/read-assets) -> ", plan.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("~ role main/deployer", plan.Output, StringComparison.Ordinal);
        var apply = await Harness.ApplyDeletingAsync(described);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        var after = await Harness.PlanAsync(described);
        Assert.True(after.Exit == 0, after.Output);
    }
}
