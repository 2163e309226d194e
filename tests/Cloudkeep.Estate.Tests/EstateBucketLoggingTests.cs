using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate.Tests;

/// <summary>A bucket's server access logging through plan, apply and export against a real server, and the parser's checks before any call.</summary>
public sealed class EstateBucketLoggingTests : EstateServerTest
{
    // The source comes first and names its target by plain name: apply must still create the target first.
    private const string Estate = """
        accounts:
          main:
            management: true
            buckets:
              example-documents:
                region: eu-west-1
                logging: {bucket: example-logs, prefix: documents/}
              example-logs:
                region: eu-west-1
        """;

    private const string Logging = "        logging: {bucket: example-logs, prefix: documents/}\n";

    [Fact]
    public async Task Apply_LoggingToABucketOfTheFile_CreatesTheTargetFirst_AndPlansNoChangeAfter()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var plan = await Harness.PlanAsync(file);
        var apply = await Harness.ApplyAsync(file);
        var again = await Harness.PlanAsync(file);

        Assert.Equal(2, plan.Exit);
        Assert.Contains("""logging: {"bucket":"arn:aws:s3:::example-logs","prefix":"documents/"}""", plan.Output, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        var output = apply.Output;
        Assert.True(output.IndexOf("creating bucket main/example-logs", StringComparison.Ordinal) < output.IndexOf("creating bucket main/example-documents", StringComparison.Ordinal), output);
        Assert.True(again.Exit == 0, again.Output + again.Error);
        using var s3 = S3("eu-west-1");
        var config = (await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "example-documents" })).BucketLoggingConfig;
        Assert.Equal("example-logs", config.TargetBucketName);
        Assert.Equal("documents/", config.TargetPrefix);
        Assert.Null(config.TargetObjectKeyFormat?.PartitionedPrefix);
    }

    [Fact]
    public async Task Apply_ChangedThenOff_PutsTheNewStatusThenTurnsLoggingOff()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        var changed = Harness.Write("changed.yaml", Estate.Replace(Logging, "        logging: {bucket: \"${bucket.main.example-logs.arn}\", prefix: \"\", partitionedBy: DeliveryTime}\n", StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(changed);
        var apply = await Harness.ApplyAsync(changed);
        var planned = await Harness.PlanAsync(changed);

        Assert.Equal(2, plan.Exit);
        Assert.Contains("""    logging: {"bucket":"arn:aws:s3:::example-logs","prefix":"documents/"} -> {"bucket":"arn:aws:s3:::example-logs","partitionedBy":"DeliveryTime","prefix":""}""", plan.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 1 to update, 0 to delete.", plan.Output, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.True(planned.Exit == 0, planned.Output + planned.Error);
        using var s3 = S3("eu-west-1");
        var config = (await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "example-documents" })).BucketLoggingConfig;
        Assert.Equal("example-logs", config.TargetBucketName);
        Assert.True(string.IsNullOrEmpty(config.TargetPrefix));
        Assert.Equal(PartitionDateSource.DeliveryTime, config.TargetObjectKeyFormat.PartitionedPrefix.PartitionDateSource);

        // Without the key the file does not manage logging: no change, whatever the bucket has.
        var unmanaged = await Harness.PlanAsync(Harness.Write("unmanaged.yaml", Estate.Replace(Logging, "", StringComparison.Ordinal)));
        Assert.True(unmanaged.Exit == 0, unmanaged.Output);
        var off = Harness.Write("off.yaml", Estate.Replace(Logging, "        logging: {}\n", StringComparison.Ordinal));
        var remove = await Harness.ApplyAsync(off);
        Assert.True(remove.Exit == 0, remove.Output + remove.Error);
        Assert.True(string.IsNullOrEmpty((await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "example-documents" })).BucketLoggingConfig?.TargetBucketName));
        var after = await Harness.PlanAsync(off);
        Assert.True(after.Exit == 0, after.Output + after.Error);
    }

    [Fact]
    public async Task Apply_FailingAfterLoggingWasPut_PutsTheOldStatusBack()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        // CORS goes after logging, and S3 refuses the method: the new prefix must not stay.
        var broken = Harness.Write("broken.yaml", Estate.Replace(Logging, "        logging: {bucket: example-logs, prefix: other/}\n        cors: [{allowedOrigins: [\"*\"], allowedMethods: [FETCH]}]\n", StringComparison.Ordinal));

        var apply = await Harness.ApplyAsync(broken);

        Assert.Equal(1, apply.Exit);
        Assert.Contains("were undone", apply.Error, StringComparison.Ordinal);
        using var s3 = S3("eu-west-1");
        Assert.Equal("documents/", (await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = "example-documents" })).BucketLoggingConfig.TargetPrefix);
    }

    [Fact]
    public async Task Export_Logging_IsWrittenWithAReference_AndPlansNoChange()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate.Replace("prefix: documents/}", "prefix: documents/, partitionedBy: EventTime}", StringComparison.Ordinal)))).Exit);

        var export = await Harness.ExportAsync();
        var plan = await Harness.PlanAsync(Harness.Write("exported.yaml", export.Output));

        Assert.True(export.Exit == 0, export.Error);
        Assert.Contains("bucket: ${bucket.main.example-logs.arn}", export.Output, StringComparison.Ordinal);
        Assert.Contains("partitionedBy: EventTime", export.Output, StringComparison.Ordinal);
        Assert.True(plan.Exit == 0, plan.Output + plan.Error + export.Output);
    }

    [Theory]
    [InlineData("logging: on", "buckets.source.logging: must be a mapping")]
    [InlineData("logging: {prefix: a/}", "buckets.source.logging: 'bucket' is required")]
    [InlineData("logging: {bucket: target}", "buckets.source.logging: 'prefix' is required")]
    [InlineData("logging: {bucket: target, prefix: a/, partitionedBy: Hourly}", "buckets.source.logging.partitionedBy: 'Hourly' is not a date source; expected EventTime or DeliveryTime")]
    [InlineData("logging: {bucket: Not_A_Bucket, prefix: a/}", "buckets.source.logging.bucket: 'Not_A_Bucket' is not a bucket name")]
    [InlineData("logging: {bucket: \"${role.main.x.arn}\", prefix: a/}", "buckets.source.logging.bucket: a reference here names an estate bucket")]
    [InlineData("logging: {bucket: target, prefx: a/}", "buckets.source.logging.prefx: unknown key; did you mean 'prefix'?")]
    [InlineData("logging: {bucket: elsewhere, prefix: a/}", "logging.bucket: S3 delivers access logs only to a bucket of the same region: 'elsewhere' is in eu-west-2, this bucket in eu-west-1")]
    [InlineData("logging: {bucket: \"${bucket.main.elsewhere.arn}\", prefix: a/}", "S3 delivers access logs only to a bucket of the same region")]
    [InlineData("logging: {bucket: other-account, prefix: a/}", "logging.bucket: S3 delivers access logs only to a bucket of the same account: 'other-account' is in account 'member', this bucket in 'main'")]
    public void Parse_BadLogging_IsOneErrorWithItsLine(string setting, string expected)
    {
        var text = $$"""
            accounts:
              main:
                management: true
                buckets:
                  source:
                    region: eu-west-1
                    {{setting}}
                  target: {region: eu-west-1}
                  elsewhere: {region: eu-west-2}
              member:
                email: member@example.com
                buckets:
                  other-account: {region: eu-west-1}
            """;

        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse(text, "."));

        Assert.Contains(error.Errors, e => e.StartsWith("line 7: ", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Logging_TargetOfTheFileIsAReference_OffIsEmpty_ExistingBucketStaysAnArn()
    {
        var document = EstateParser.Parse("""
            accounts:
              main:
                management: true
                buckets:
                  source: {logging: {bucket: target, prefix: ""}}
                  target: {logging: {}}
                  outside: {logging: {bucket: "arn:aws:s3:::not-in-the-file", prefix: logs/, partitionedBy: EventTime}}
            """, ".");

        var fields = document.Resources.Where(r => r.Kind == ResourceKind.Bucket).ToDictionary(r => r.Name, r => r.Fields["logging"]);
        Assert.Equal("""{"bucket":"${bucket.main.target.arn}","prefix":""}""", fields["source"]);
        Assert.Equal("{}", fields["target"]);
        Assert.Equal("""{"bucket":"arn:aws:s3:::not-in-the-file","partitionedBy":"EventTime","prefix":"logs/"}""", fields["outside"]);
    }

    private AmazonS3Client S3(string region) =>
        new(Harness.Credentials, new AmazonS3Config { ServiceURL = Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = region });
}
