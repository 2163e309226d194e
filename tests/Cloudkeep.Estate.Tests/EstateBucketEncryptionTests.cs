using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate.Tests;

/// <summary>A bucket's default encryption through plan, apply and export against a real server.</summary>
public sealed class EstateBucketEncryptionTests : EstateServerTest
{
    private const string Estate = """
        accounts:
          main:
            management: true
            keys:
              state-key: {description: Bucket encryption}
            buckets:
              example-terraform-state:
                encryption: AES256
              example-data:
                encryption: {algorithm: "aws:kms", kmsKeyId: "${key.main.state-key.arn}", bucketKey: true}
              example-plain:
                tags: {env: test}
        """;

    [Fact]
    public async Task Apply_EncryptionWithAKeyReference_IsWhatS3Answers_AndASecondApplyChangesNothing()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var plan = await Harness.PlanAsync(file);
        var apply = await Harness.ApplyAsync(file);
        var again = await Harness.ApplyAsync(file);
        var after = await Harness.PlanAsync(file);

        Assert.Equal(2, plan.Exit);
        // The key's ARN exists only once apply has created the key, as for any reference to it.
        Assert.Contains("+ bucket main/example-data\n    encryption: (known after apply)", plan.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("encryption: {\"algorithm\":\"AES256\",\"bucketKey\":false}", plan.Output, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        using var s3 = S3();
        var data = await RuleAsync(s3, "example-data");
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, data.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.Matches($"^arn:aws:kms:eu-west-2:{Server.AccountId}:key/", data.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(data.BucketKeyEnabled);
        var state = await RuleAsync(s3, "example-terraform-state");
        Assert.Equal(ServerSideEncryptionMethod.AES256, state.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.True(again.Exit == 0, again.Output + again.Error);
        Assert.DoesNotContain("updating", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("creating", again.Output, StringComparison.Ordinal);
        Assert.True(after.Exit == 0, after.Output + after.Error);
        Assert.Contains("No changes", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_EncryptionChanges_AreShownAndApplied_AndALeftOutKeyIsNotManaged()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        var swapped = Harness.Write("swapped.yaml", Estate
            .Replace("encryption: AES256", "encryption: aws:kms", StringComparison.Ordinal)
            .Replace("encryption: {algorithm: \"aws:kms\", kmsKeyId: \"${key.main.state-key.arn}\", bucketKey: true}", "encryption: {algorithm: AES256}", StringComparison.Ordinal));
        var unmanaged = Harness.Write("unmanaged.yaml", Estate
            .Replace("encryption: AES256", "{}", StringComparison.Ordinal)
            .Replace("encryption: {algorithm: \"aws:kms\", kmsKeyId: \"${key.main.state-key.arn}\", bucketKey: true}", "tags: {}", StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(swapped);
        var apply = await Harness.ApplyAsync(swapped);

        Assert.Equal(2, plan.Exit);
        Assert.Contains("encryption: {\"algorithm\":\"AES256\",\"bucketKey\":false} -> {\"algorithm\":\"aws:kms\",\"bucketKey\":false}", plan.Output, StringComparison.Ordinal);
        Assert.Contains("-> {\"algorithm\":\"AES256\",\"bucketKey\":false}", plan.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 2 to update, 0 to delete.", plan.Output, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        using var s3 = S3();
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, (await RuleAsync(s3, "example-terraform-state")).ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        var data = await RuleAsync(s3, "example-data");
        Assert.Equal(ServerSideEncryptionMethod.AES256, data.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.True(string.IsNullOrEmpty(data.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId));
        Assert.NotEqual(true, data.BucketKeyEnabled);
        Assert.Equal(0, (await Harness.PlanAsync(swapped)).Exit);
        // Without the key the file does not manage the setting: no change, whatever the bucket has.
        var left = await Harness.PlanAsync(unmanaged);
        Assert.True(left.Exit == 0, left.Output + left.Error);
    }

    [Fact]
    public async Task Export_Encryption_IsWrittenBackUnlessItIsTheDefault_AndPlansNoChange()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);

        var export = await Harness.ExportAsync();
        var file = Harness.Write("exported.yaml", export.Output);
        var plan = await Harness.PlanAsync(file);

        Assert.True(export.Exit == 0, export.Error);
        Assert.Contains("kmsKeyId: ${key.main.state-key.arn}", export.Output, StringComparison.Ordinal);
        Assert.Contains("bucketKey: true", export.Output, StringComparison.Ordinal);
        Assert.Contains("algorithm: aws:kms", export.Output, StringComparison.Ordinal);
        // AES256 without a bucket key is every bucket's default: left out, as before this key existed.
        Assert.DoesNotContain("AES256", export.Output, StringComparison.Ordinal);
        Assert.Equal(2, export.Output.Split("encryption:").Length);
        Assert.True(plan.Exit == 0, plan.Output + plan.Error + export.Output);
    }

    private AmazonS3Client S3() =>
        new(Harness.Credentials, new AmazonS3Config { ServiceURL = Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "eu-west-2" });

    private static async Task<ServerSideEncryptionRule> RuleAsync(AmazonS3Client s3, string bucket) =>
        Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
}
