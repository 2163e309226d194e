using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate.Tests;

/// <summary>A bucket's replication rules through plan, apply and export against a real server, and the replicator acting on what apply put.</summary>
public sealed class EstateBucketReplicationTests : EstateServerTest
{
    // The source comes first and names its destination by plain name: apply must still create and
    // version the destination (and the role) before it puts the rule.
    private const string Estate = """
        accounts:
          main:
            management: true
            roles:
              replication:
                trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: s3.amazonaws.com}, Action: "sts:AssumeRole"}]}
                inlinePolicies:
                  replicate:
                    Version: "2012-10-17"
                    Statement:
                      - {Effect: Allow, Action: ["s3:GetReplicationConfiguration", "s3:ListBucket", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource: ["arn:aws:s3:::example-*"]}
                      - {Effect: Allow, Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: "arn:aws:s3:::example-replica*/*"}
            buckets:
              example-documents:
                region: eu-west-1
                versioning: Enabled
                replication:
                  role: replication
                  rules:
                    - id: everything
                      destination: {bucket: example-replica}
              example-replica:
                region: eu-west-2
                versioning: Enabled
        """;

    private const string Rule = """
                    - id: everything
                      destination: {bucket: example-replica}
        """;

    private const string Block = "        replication:\n          role: replication\n          rules:\n" + Rule;

    [Fact]
    public async Task Apply_ReplicationToABucketOfTheFile_OrdersItFirst_AndObjectsThenReplicate()
    {
        var file = Harness.Write("estate.yaml", Estate);

        var plan = await Harness.PlanAsync(file);
        var apply = await Harness.ApplyAsync(file);
        var again = await Harness.PlanAsync(file);

        Assert.Equal(2, plan.Exit);
        // The role's ARN needs the account id, known to plan; the destination is a reference to the file's bucket.
        Assert.Contains($$"""replication: {"role":"arn:aws:iam::{{Server.AccountId}}:role/replication","rules":[{"deleteMarkerReplication":false,"destination":{"bucket":"arn:aws:s3:::example-replica"},"id":"everything","priority":0,"status":"Enabled"}]}""", plan.Output, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        var output = apply.Output;
        Assert.True(output.IndexOf("creating bucket main/example-replica", StringComparison.Ordinal) < output.IndexOf("creating bucket main/example-documents", StringComparison.Ordinal), output);
        Assert.True(output.IndexOf("creating role main/replication", StringComparison.Ordinal) < output.IndexOf("creating bucket main/example-documents", StringComparison.Ordinal), output);
        Assert.True(again.Exit == 0, again.Output + again.Error);
        using var source = S3("eu-west-1");
        var configuration = (await source.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = "example-documents" })).Configuration;
        Assert.Equal($"arn:aws:iam::{Server.AccountId}:role/replication", configuration.Role);
        var rule = Assert.Single(configuration.Rules);
        Assert.Equal("arn:aws:s3:::example-replica", rule.Destination.BucketArn);
        Assert.Equal(DeleteMarkerReplicationStatus.Disabled, rule.DeleteMarkerReplication.Status);

        var put = await source.PutObjectAsync(new PutObjectRequest { BucketName = "example-documents", Key = "g-cloud-14/a.pdf", ContentBody = "a document" });
        using var replica = S3("eu-west-2");
        Assert.Equal("COMPLETED", await StatusAsync(source, "example-documents", "g-cloud-14/a.pdf", put.VersionId, "COMPLETED"));
        Assert.Equal("REPLICA", await StatusAsync(replica, "example-replica", "g-cloud-14/a.pdf", put.VersionId, "REPLICA"));
    }

    [Fact]
    public async Task Apply_ChangedRulesThenEmpty_PutsTheWholeConfigurationThenDeletesIt()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        var changed = Harness.Write("changed.yaml", Estate.Replace(Rule, """
                            - id: documents
                              priority: 2
                              filter: {prefix: documents/, tags: {replicate: "yes"}}
                              destination: {bucket: "${bucket.main.example-replica.arn}", account: "${account.main.id}", storageClass: STANDARD_IA, ownerOverride: true}
                            - id: markers
                              priority: 1
                              status: Disabled
                              prefix: agreements/
                              deleteMarkerReplication: true
                              destination: {bucket: arn:aws:s3:::example-replica}
                """, StringComparison.Ordinal));
        // Versioning may be suspended only once the configuration is gone: apply deletes it first.
        var removed = Harness.Write("removed.yaml", Estate.Replace("        versioning: Enabled\n" + Block, "        versioning: Suspended\n        replication: {}", StringComparison.Ordinal));

        var plan = await Harness.PlanAsync(changed);
        var apply = await Harness.ApplyAsync(changed);
        var planned = await Harness.PlanAsync(changed);

        Assert.Equal(2, plan.Exit);
        Assert.Contains("~ bucket main/example-documents", plan.Output, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"everything\",\"priority\":0,\"status\":\"Enabled\"}]} -> {", plan.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 1 to update, 0 to delete.", plan.Output, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.True(planned.Exit == 0, planned.Output + planned.Error);
        using var s3 = S3("eu-west-1");
        var rules = (await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = "example-documents" })).Configuration.Rules;
        Assert.Equal(["documents", "markers"], rules.Select(r => r.Id).ToArray());
        Assert.Equal(2, rules[0].Priority);
        Assert.Equal("documents/", rules[0].Filter.And.Prefix);
        Assert.Equal("yes", Assert.Single(rules[0].Filter.And.Tags).Value);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, rules[0].Destination.StorageClass);
        Assert.Equal(Server.AccountId, rules[0].Destination.AccountId);
        Assert.Equal(OwnerOverride.Destination, rules[0].Destination.AccessControlTranslation.Owner);
        Assert.Equal(ReplicationRuleStatus.Disabled, rules[1].Status);
        Assert.Equal("agreements/", rules[1].Filter.Prefix);
        Assert.Equal(DeleteMarkerReplicationStatus.Enabled, rules[1].DeleteMarkerReplication.Status);

        // Without the key the file does not manage replication: no change, whatever the bucket has.
        var unmanaged = await Harness.PlanAsync(Harness.Write("unmanaged.yaml", Estate.Replace(Block, "", StringComparison.Ordinal)));
        Assert.True(unmanaged.Exit == 0, unmanaged.Output);

        var remove = await Harness.ApplyAsync(removed);

        Assert.True(remove.Exit == 0, remove.Output + remove.Error);
        // The SDK answers S3's 404 ReplicationConfigurationNotFoundError without throwing, as it does for a missing policy.
        var gone = await Record(() => s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = "example-documents" }));
        Assert.True(gone is AmazonS3Exception { ErrorCode: "ReplicationConfigurationNotFoundError" } or GetBucketReplicationResponse { HttpStatusCode: System.Net.HttpStatusCode.NotFound }, remove.Output);
        Assert.Equal(VersionStatus.Suspended, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = "example-documents" })).VersioningConfig.Status);
        var after = await Harness.PlanAsync(removed);
        Assert.True(after.Exit == 0, after.Output + after.Error);
    }

    [Fact]
    public async Task Apply_FailingAfterTheReplicationWasPut_PutsTheOldConfigurationBack()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        // CORS goes after replication, and S3 refuses the method: the new rule must not stay.
        var broken = Harness.Write("broken.yaml", Estate
            .Replace("      - id: everything\n", "      - id: renamed\n", StringComparison.Ordinal)
            .Replace("        versioning: Enabled\n        replication:", "        versioning: Enabled\n        cors: [{allowedOrigins: [\"*\"], allowedMethods: [FETCH]}]\n        replication:", StringComparison.Ordinal));

        var apply = await Harness.ApplyAsync(broken);

        Assert.Equal(1, apply.Exit);
        Assert.Contains("bucket main/example-documents: update failed: InvalidRequest", apply.Error, StringComparison.Ordinal);
        Assert.Contains("were undone", apply.Error, StringComparison.Ordinal);
        using var s3 = S3("eu-west-1");
        var rule = Assert.Single((await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = "example-documents" })).Configuration.Rules);
        Assert.Equal("everything", rule.Id);
        Assert.Equal(0, (await Harness.PlanAsync(Harness.Write("estate.yaml", Estate))).Exit);
    }

    [Fact]
    public async Task Plan_BucketsReplicatingIntoEachOther_IsACycle_UntilOneDirectionIsApplied()
    {
        var back = Estate.Replace("        region: eu-west-2\n        versioning: Enabled", "        region: eu-west-2\n        versioning: Enabled\n        replication: {role: replication, rules: [{id: back, destination: {bucket: example-documents}}]}", StringComparison.Ordinal);
        var both = Harness.Write("both.yaml", back);

        var plan = await Harness.PlanAsync(both);

        Assert.Equal(1, plan.Exit);
        Assert.Contains("refer to each other in a cycle, so none can be created first: bucket main/example-documents, bucket main/example-replica", plan.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);
        var apply = await Harness.ApplyAsync(both);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        using var s3 = S3("eu-west-2");
        Assert.Equal("back", Assert.Single((await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = "example-replica" })).Configuration.Rules).Id);
    }

    [Fact]
    public async Task Apply_DestinationTheFileDoesNotDeclareAndS3DoesNotHave_IsS3sError_AndTheNewBucketIsRemoved()
    {
        var file = Harness.Write("estate.yaml", Estate.Replace("{bucket: example-replica}", "{bucket: example-nowhere}", StringComparison.Ordinal));

        var apply = await Harness.ApplyAsync(file);

        Assert.Equal(1, apply.Exit);
        Assert.Contains("bucket main/example-documents: create failed: InvalidRequest: Destination bucket must exist.", apply.Error, StringComparison.Ordinal);
        Assert.Contains("were undone", apply.Error, StringComparison.Ordinal);
        using var s3 = S3("eu-west-1");
        Assert.DoesNotContain((await s3.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == "example-documents");
    }

    [Fact]
    public async Task Export_Replication_IsWrittenWithReferences_AndPlansNoChange()
    {
        Assert.Equal(0, (await Harness.ApplyAsync(Harness.Write("estate.yaml", Estate))).Exit);

        var export = await Harness.ExportAsync();
        var file = Harness.Write("exported.yaml", export.Output);
        var plan = await Harness.PlanAsync(file);

        Assert.True(export.Exit == 0, export.Error);
        Assert.Contains("role: ${role.main.replication.arn}", export.Output, StringComparison.Ordinal);
        Assert.Contains("bucket: ${bucket.main.example-replica.arn}", export.Output, StringComparison.Ordinal);
        Assert.Contains("id: everything", export.Output, StringComparison.Ordinal);
        // What the parser assumes is left out, as a hand-written file would.
        Assert.DoesNotContain("deleteMarkerReplication", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("priority", export.Output, StringComparison.Ordinal);
        Assert.True(plan.Exit == 0, plan.Output + plan.Error + export.Output);
    }

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

    private AmazonS3Client S3(string region) =>
        new(Harness.Credentials, new AmazonS3Config { ServiceURL = Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = region });

    /// <summary>The version's x-amz-replication-status once it is <paramref name="expected"/>, or the last one seen after 15 seconds.</summary>
    private static async Task<string?> StatusAsync(AmazonS3Client s3, string bucket, string key, string versionId, string expected)
    {
        string? status = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            try
            {
                status = (await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId })).ReplicationStatus?.Value;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                status = null;
            }

            if (status == expected)
            {
                break;
            }
        }

        return status;
    }
}
