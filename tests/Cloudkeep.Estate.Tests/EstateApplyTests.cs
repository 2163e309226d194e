using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>plan and apply against a real server: create, no-op, update, and failures.</summary>
public sealed class EstateApplyTests : EstateServerTest
{
    internal const string Estate = """
        accounts:
          main:
            management: true
            alias: example-estate
            passwordPolicy:
              minimumPasswordLength: 14
              requireSymbols: true
              allowUsersToChangePassword: true
            policies:
              read-assets:
                description: Read the assets bucket
                document:
                  Version: "2012-10-17"
                  Statement:
                    - Effect: Allow
                      Action: s3:GetObject
                      Resource: ${bucket.main.example-assets.arn}/*
            groups:
              developers:
                policies: [read-assets]
                inlinePolicies:
                  self:
                    Version: "2012-10-17"
                    Statement: [{Effect: Allow, Action: "iam:GetUser", Resource: "*"}]
            users:
              alice:
                path: /people/
                tags: {team: web}
                groups: [developers]
            roles:
              deployer:
                description: Deploys the site
                maxSessionDuration: 7200
                trustPolicy:
                  Version: "2012-10-17"
                  Statement:
                    - Effect: Allow
                      Principal: {AWS: "arn:aws:iam::${account.main.id}:root"}
                      Action: sts:AssumeRole
                policies: [read-assets]
                inlinePolicies:
                  use-key:
                    Version: "2012-10-17"
                    Statement: [{Effect: Allow, Action: ["kms:Decrypt"], Resource: "${key.main.backups.arn}"}]
            keys:
              backups:
                description: Backups
                policy:
                  Version: "2012-10-17"
                  Statement:
                    - Sid: Admin
                      Effect: Allow
                      Principal: {AWS: "arn:aws:iam::${account.main.id}:root"}
                      Action: "kms:*"
                      Resource: "*"
                    - Sid: Deployer
                      Effect: Allow
                      Principal: {AWS: "${role.main.deployer.arn}"}
                      Action: ["kms:Encrypt", "kms:Decrypt"]
                      Resource: "*"
            buckets:
              example-assets:
                region: eu-west-2
                tags: {env: prod}
                publicAccessBlock: {blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true}
                cors:
                  - allowedOrigins: ["https://example.com"]
                    allowedMethods: [GET]
                    maxAgeSeconds: 300
                policy:
                  Version: "2012-10-17"
                  Statement:
                    - Effect: Allow
                      Principal: {AWS: "${role.main.deployer.arn}"}
                      Action: "s3:GetObject"
                      Resource: ["${bucket.main.example-assets.arn}/*"]
        """;

    [Fact]
    public async Task Plan_EmptyServer_ListsCreationsAndExitsTwo()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var (exit, output, error) = await Harness.PlanAsync(file);

        Assert.True(exit == 2, output + error);
        Assert.Contains("+ role main/deployer", output, StringComparison.Ordinal);
        Assert.Contains("+ bucket main/example-assets", output, StringComparison.Ordinal);
        Assert.Contains("    document: (known after apply)", output, StringComparison.Ordinal);
        Assert.Contains("~ account-settings main", output, StringComparison.Ordinal);
        Assert.Contains("Plan: 8 to create, 1 to update, 0 to delete.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_EmptyServer_CreatesEverythingAndSecondApplyIsANoOp()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var first = await Harness.ApplyAsync(file);
        Assert.True(first.Exit == 0, first.Output + first.Error);
        Assert.Contains("creating key main/backups ... done", first.Output, StringComparison.Ordinal);
        Assert.Contains("Apply complete: 8 to create, 1 to update, 0 to delete.", first.Output, StringComparison.Ordinal);

        var plan = await Harness.PlanAsync(file);
        Assert.True(plan.Exit == 0, plan.Output + plan.Error);
        Assert.Contains("No changes", plan.Output, StringComparison.Ordinal);
        var second = await Harness.ApplyAsync(file);
        Assert.Equal(0, second.Exit);
        Assert.DoesNotContain("creating", second.Output, StringComparison.Ordinal);

        // The key policy names the role by the ARN the reference resolved to.
        using var kms = new AmazonKeyManagementServiceClient(Credentials, new AmazonKeyManagementServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = "eu-west-2" });
        var key = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/backups" });
        var policy = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyMetadata.KeyId, PolicyName = "default" });
        Assert.Contains($"arn:aws:iam::{Server.AccountId}:role/deployer", policy.Policy, StringComparison.Ordinal);
        using var s3 = new AmazonS3Client(Credentials, new AmazonS3Config { ServiceURL = Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "eu-west-2" });
        var tags = await s3.GetBucketTaggingAsync(new Amazon.S3.Model.GetBucketTaggingRequest { BucketName = "example-assets" });
        Assert.Equal("prod", tags.TagSet.Single(t => t.Key == "env").Value);
    }

    [Fact]
    public async Task Plan_ChangedFields_ShowsOnlyThoseAsUpdates()
    {
        var file = Harness.Write("estate.yaml", Estate);
        Assert.Equal(0, (await Harness.ApplyAsync(file)).Exit);

        var changed = Harness.Write("changed.yaml", Estate
            .Replace("tags: {team: web}", "tags: {team: platform}", StringComparison.Ordinal)
            .Replace("maxSessionDuration: 7200", "maxSessionDuration: 3600", StringComparison.Ordinal)
            .Replace("minimumPasswordLength: 14", "minimumPasswordLength: 16", StringComparison.Ordinal));
        var (exit, output, _) = await Harness.PlanAsync(changed);

        Assert.Equal(2, exit);
        Assert.Contains("~ user main/alice\n    tags: {\"team\":\"web\"} -> {\"team\":\"platform\"}", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("    maxSessionDuration: 7200 -> 3600", output, StringComparison.Ordinal);
        Assert.Contains("    passwordPolicy.minimumPasswordLength: 14 -> 16", output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 3 to update, 0 to delete.", output, StringComparison.Ordinal);

        Assert.Equal(0, (await Harness.ApplyAsync(changed)).Exit);
        Assert.Equal(0, (await Harness.PlanAsync(changed)).Exit);
    }

    [Fact]
    public async Task Apply_NotOnATerminalWithoutAutoApprove_ChangesNothing()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var (exit, _, error) = await Harness.ApplyAsync(file, autoApprove: false);

        Assert.Equal(1, exit);
        Assert.Contains("--auto-approve", error, StringComparison.Ordinal);
        Assert.Equal(2, (await Harness.PlanAsync(file)).Exit);
    }

    [Fact]
    public async Task Apply_AnswerOtherThanYes_ChangesNothing()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var (exit, _, error) = await Harness.ApplyAsync(file, autoApprove: false, stdin: "y\n", interactive: true);

        Assert.Equal(1, exit);
        Assert.Contains("cancelled", error, StringComparison.Ordinal);
        Assert.Equal(2, (await Harness.PlanAsync(file)).Exit);
    }

    [Fact]
    public async Task Apply_CallRefused_StopsWithTheResourceAndTheError()
    {
        var file = Harness.Write("estate.yaml", """
            accounts:
              main:
                management: true
                groups:
                  first: {}
                  broken:
                    policies: ["arn:aws:iam::aws:policy/NoSuchPolicyAnywhere"]
                users:
                  later: {}
            """);

        var (exit, output, error) = await Harness.ApplyAsync(file);

        Assert.Equal(1, exit);
        Assert.Contains("creating group main/first ... done", output, StringComparison.Ordinal);
        Assert.Contains("group main/broken: create failed: IAM AttachGroupPolicy: NoSuchEntity", error, StringComparison.Ordinal);
        Assert.Contains("the 1 change(s) already made to group main/broken were undone", error, StringComparison.Ordinal);
        Assert.DoesNotContain("user main/later", output[output.IndexOf("creating", StringComparison.Ordinal)..], StringComparison.Ordinal);

        // Nothing half-applied: the group whose attachment failed was removed again.
        var plan = await Harness.PlanAsync(file);
        Assert.Contains("+ group main/broken", plan.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("group main/first", plan.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_InvalidFile_ListsTheErrorsAndExitsOne()
    {
        var file = Harness.Write("estate.yaml", "accounts:\n  main:\n    management: true\n    users:\n      bob: {colour: red}\n");

        var (exit, _, error) = await Harness.PlanAsync(file);

        Assert.Equal(1, exit);
        Assert.Contains("accounts.main.users.bob.colour: unknown key", error, StringComparison.Ordinal);
    }

    private static BasicAWSCredentials Credentials => new(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey);
}
