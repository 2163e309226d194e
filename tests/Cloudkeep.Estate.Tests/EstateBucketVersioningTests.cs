using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate.Tests;

/// <summary>A bucket's versioning, MFA delete and lifecycle rules through plan, apply and export against a real server.</summary>
public sealed class EstateBucketVersioningTests : EstateServerTest
{
    private const string Estate = """
        accounts:
          main:
            management: true
            buckets:
              example-backups:
                region: eu-west-2
                versioning: Enabled
                lifecycle:
                  - id: expire-after-180-days
                    expiration: {days: 180}
                    noncurrentVersionExpiration: {days: 30, newerNoncurrentVersions: 3}
                    abortIncompleteMultipartUpload: {days: 7}
                  - id: archive-big-reports
                    status: Disabled
                    filter: {prefix: reports/, tags: {kind: report}, objectSizeGreaterThan: 1024}
                    transitions: [{days: 30, storageClass: STANDARD_IA}, {date: "2030-01-01", storageClass: GLACIER}]
                    noncurrentVersionTransitions: [{days: 60, storageClass: DEEP_ARCHIVE, newerNoncurrentVersions: 2}]
                  - id: markers
                    prefix: tmp/
                    expiration: {expiredObjectDeleteMarker: true}
        """;

    [Fact]
    public async Task Apply_VersioningAndLifecycle_AreWhatS3Answers_AndASecondPlanIsEmpty()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var apply = await Harness.ApplyAsync(file);

        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        using var s3 = S3();
        Assert.Equal(VersionStatus.Enabled, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = "example-backups" })).VersioningConfig.Status);
        var rules = (await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = "example-backups" })).Configuration.Rules;
        Assert.Equal(["expire-after-180-days", "archive-big-reports", "markers"], rules.Select(r => r.Id).ToArray());
        Assert.Equal(180, rules[0].Expiration.Days);
        Assert.Equal(3, rules[0].NoncurrentVersionExpiration.NewerNoncurrentVersions);
        Assert.Equal(LifecycleRuleStatus.Disabled, rules[1].Status);
        var and = Assert.IsType<LifecycleAndOperator>(rules[1].Filter.LifecycleFilterPredicate);
        Assert.Equal("report", and.Operands.OfType<LifecycleTagPredicate>().Single().Tag.Value);
        Assert.Equal(1024, and.Operands.OfType<LifecycleObjectSizeGreaterThanPredicate>().Single().ObjectSizeGreaterThan);
        Assert.Equal(2, rules[1].Transitions.Count);
        Assert.Equal("tmp/", Assert.IsType<LifecyclePrefixPredicate>(rules[2].Filter.LifecycleFilterPredicate).Prefix);
        var plan = await Harness.PlanAsync(file);
        Assert.True(plan.Exit == 0, plan.Output + plan.Error);
    }

    [Fact]
    public async Task Apply_EmptyLifecycleAndSuspended_RemovesTheRulesAndSuspendsVersioning()
    {
        var file = Harness.Write("estate.yaml", Estate);
        Assert.Equal(0, (await Harness.ApplyAsync(file)).Exit);
        var changed = Harness.Write("changed.yaml", Estate[..Estate.IndexOf("versioning:", StringComparison.Ordinal)] + "versioning: Suspended\n        lifecycle: []\n");

        var plan = await Harness.PlanAsync(changed);
        var apply = await Harness.ApplyAsync(changed);

        Assert.Contains("versioning: Enabled -> Suspended", plan.Output, StringComparison.Ordinal);
        Assert.Contains("lifecycle: [{", plan.Output, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        using var s3 = S3();
        Assert.Equal(VersionStatus.Suspended, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = "example-backups" })).VersioningConfig.Status);
        var lifecycle = await Record(() => s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = "example-backups" }));
        Assert.True(lifecycle is AmazonS3Exception { ErrorCode: "NoSuchLifecycleConfiguration" } || lifecycle is GetLifecycleConfigurationResponse { Configuration.Rules: null or { Count: 0 } }, lifecycle?.ToString());
        Assert.Equal(0, (await Harness.PlanAsync(changed)).Exit);
    }

    [Fact]
    public async Task Plan_UnversionedAskedOfAVersionedBucket_IsAnErrorBeforeAnyChange()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        var back = Harness.Write("back.yaml", Estate.Replace("versioning: Enabled", "versioning: Disabled", StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(back);
        var apply = await Harness.ApplyAsync(back);

        Assert.Equal(1, plan.Exit);
        Assert.Contains("bucket main/example-backups: versioning: the bucket is versioned (Enabled) and S3 cannot return a bucket to unversioned", plan.Error, StringComparison.Ordinal);
        Assert.Equal(1, apply.Exit);
        Assert.DoesNotContain("updating", apply.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_MfaDeleteChange_PrintsRootsCommand_LeavesItPending_AndPlanStillShowsIt()
    {
        var file = Harness.Write("estate.yaml", """
            accounts:
              main:
                management: true
                buckets:
                  example-documents:
                    versioning: Enabled
                    mfaDelete: true
                    tags: {env: prod}
            """);

        var plan = await Harness.PlanAsync(file);
        var apply = await Harness.ApplyAsync(file);
        var again = await Harness.PlanAsync(file);

        Assert.Contains("mfaDelete: true", plan.Output, StringComparison.Ordinal);
        Assert.Equal(2, apply.Exit);
        var command = $"aws s3api put-bucket-versioning --bucket example-documents --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"arn:aws:iam::{Server.AccountId}:mfa/<root-mfa-device> <code>\"";
        Assert.Contains($"creating bucket main/example-documents ... pending\n  mfaDelete: S3 takes this only from the bucket owner's root user", apply.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(command, apply.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Apply complete", apply.Output, StringComparison.Ordinal);
        Assert.Contains("Apply incomplete: 1 change(s)", apply.Output, StringComparison.Ordinal);
        using var s3 = S3();
        var versioning = (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = "example-documents" })).VersioningConfig;
        Assert.Equal(VersionStatus.Enabled, versioning.Status);
        Assert.NotEqual(true, versioning.EnableMfaDelete);
        Assert.Equal(2, again.Exit);
        Assert.Contains("mfaDelete: false -> true  (not applied: apply prints the command to run)", again.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 1 to update, 0 to delete.", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_VersionedBucketWithLifecycle_PlansNoChangeAgainstTheLiveEstate()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);

        var export = await Harness.ExportAsync();
        var file = Harness.Write("exported.yaml", export.Output);
        var plan = await Harness.PlanAsync(file);

        Assert.True(export.Exit == 0, export.Error);
        Assert.Contains("versioning: Enabled", export.Output, StringComparison.Ordinal);
        Assert.Contains("id: expire-after-180-days", export.Output, StringComparison.Ordinal);
        Assert.Contains("status: Disabled", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("status: Enabled", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("mfaDelete", export.Output, StringComparison.Ordinal);
        Assert.True(plan.Exit == 0, plan.Output + plan.Error + export.Output);
    }

    private AmazonS3Client S3() =>
        new(Harness.Credentials, new AmazonS3Config { ServiceURL = Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "eu-west-2" });

    private static async Task<object?> Record<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception e)
        {
            return e;
        }
    }
}
