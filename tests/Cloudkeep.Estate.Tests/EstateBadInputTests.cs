using Cloudkeep.Client;
using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>Malformed policies, bucket settings S3 would refuse, and reference cycles: a clear error before anything is changed.</summary>
public sealed class EstateBadInputTests
{
    [Theory]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17', Statement: [{Effect: Maybe, Action: 's3:GetObject', Resource: '*'}]}}", "Effect must be Allow or Deny")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Resource: '*'}]}}", "Action or NotAction is required")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'GetObject', Resource: '*'}]}}", "'GetObject' is not an action")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*', Principal: '*'}]}}", "has no Principal")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-18', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}}", "Version '2012-10-18'")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17'}}", "'Statement' is required")]
    [InlineData("roles:\n      r: {trustPolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sts:AssumeRole'}]}}", "Principal or NotPrincipal is required")]
    [InlineData("roles:\n      r: {trustPolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 'sts:AssumeRole', Resource: '*'}]}}", "a trust policy has no Resource")]
    [InlineData("buckets:\n      my-bucket: {policy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: {StringEquals: ['a']}}]}}", "Condition StringEquals maps condition keys")]
    [InlineData("keys:\n      k: {policy: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*', Sids: x}]}}", "unknown element 'Sids'")]
    public void Parse_MalformedPolicy_IsReportedWithItsLine(string section, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n    {section}\n", "."));

        Assert.Contains(error.Errors, e => e.StartsWith("line 5: ", StringComparison.Ordinal) && e.Contains("malformed policy: ", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{versioning: On}", "versioning: must be Enabled or Suspended")]
    [InlineData("{mfaDelete: yes}", "mfaDelete: must be true or false")]
    [InlineData("{mfa_delete: true}", "did you mean 'mfaDelete'?")]
    [InlineData("{versioning: Disabled, mfaDelete: true}", "MFA delete needs a versioned bucket")]
    [InlineData("{versioning: Enabled, mfaDelete: true, lifecycle: [{id: a, expiration: {days: 1}}]}", "S3 refuses lifecycle rules on a bucket with MFA delete")]
    [InlineData("{lifecycle: {id: a}}", "lifecycle: must be a list of lifecycle rules")]
    [InlineData("{lifecycle: [{expiration: {days: 1}}]}", "lifecycle[0]: a lifecycle rule needs an 'id'")]
    [InlineData("{lifecycle: [{id: a}]}", "lifecycle[0]: a lifecycle rule needs at least one action")]
    [InlineData("{lifecycle: [{id: a, expiraton: {days: 1}}]}", "lifecycle[0].expiraton: unknown key; did you mean 'expiration'?")]
    [InlineData("{lifecycle: [{id: a, status: On, expiration: {days: 1}}]}", "lifecycle[0].status: must be Enabled or Disabled")]
    [InlineData("{lifecycle: [{id: a, expiration: {days: 1}}, {id: a, expiration: {days: 2}}]}", "lifecycle[1].id: id 'a' is already used by another rule")]
    [InlineData("{lifecycle: [{id: a, expiration: {days: 0}}]}", "expiration.days: must be a positive number of days")]
    [InlineData("{lifecycle: [{id: a, expiration: {days: 1, expiredObjectDeleteMarker: true}}]}", "expiration: give exactly one of days, date or expiredObjectDeleteMarker")]
    [InlineData("{lifecycle: [{id: a, expiration: {date: '2027-01-01T12:00:00Z'}}]}", "expiration.date: must be a date at midnight UTC")]
    [InlineData("{lifecycle: [{id: a, prefix: logs/, filter: {prefix: logs/}, expiration: {days: 1}}]}", "lifecycle[0].prefix: give 'prefix' or 'filter', not both")]
    [InlineData("{lifecycle: [{id: a, filter: {objectSizeGreaterThan: 10, objectSizeLessThan: 5}, expiration: {days: 1}}]}", "objectSizeGreaterThan must be less than objectSizeLessThan")]
    [InlineData("{lifecycle: [{id: a, filter: {tags: {k: v}}, expiration: {expiredObjectDeleteMarker: true}}]}", "S3 refuses expiredObjectDeleteMarker in a rule that filters on tags")]
    [InlineData("{lifecycle: [{id: a, filter: {tags: {k: v}}, abortIncompleteMultipartUpload: {days: 1}}]}", "S3 refuses abortIncompleteMultipartUpload in a rule that filters on tags or sizes")]
    [InlineData("{lifecycle: [{id: a, noncurrentVersionExpiration: {newerNoncurrentVersions: 101}}]}", "newerNoncurrentVersions: must be between 1 and 100")]
    [InlineData("{lifecycle: [{id: a, noncurrentVersionExpiration: {newerNoncurrentVersions: 2}}]}", "noncurrentVersionExpiration: 'days' is required")]
    [InlineData("{lifecycle: [{id: a, transitions: [{days: 30, storageClass: COLD}]}]}", "transitions[0].storageClass: must be one of STANDARD_IA")]
    [InlineData("{lifecycle: [{id: a, transitions: [{days: 10, storageClass: STANDARD_IA}]}]}", "transitions[0].days: must be at least 30 for STANDARD_IA and ONEZONE_IA")]
    [InlineData("{lifecycle: [{id: a, transitions: [{days: 40, date: '2030-01-01', storageClass: GLACIER}]}]}", "transitions[0]: give days or date, not both")]
    [InlineData("{encryption: AES128}", "encryption: 'AES128' is not an encryption algorithm; expected AES256 (SSE-S3), aws:kms or aws:kms:dsse")]
    [InlineData("{encryption: [AES256]}", "encryption: must be an algorithm (AES256, aws:kms or aws:kms:dsse) or a mapping")]
    [InlineData("{encryption: {kmsKeyId: alias/state}}", "encryption: 'algorithm' is required")]
    [InlineData("{encryption: {algorithm: aws:kms, bucketkey: true}}", "encryption.bucketkey: unknown key; did you mean 'bucketKey'?")]
    [InlineData("{encryption: {algorithm: AES256, kmsKeyId: alias/state}}", "encryption.kmsKeyId: a KMS key needs algorithm aws:kms or aws:kms:dsse")]
    [InlineData("{encryption: {algorithm: aws:kms:dsse, bucketKey: true}}", "encryption.bucketKey: an S3 Bucket Key is for algorithm aws:kms only")]
    [InlineData("{encryption: {algorithm: aws:kms, bucketKey: yes}}", "encryption.bucketKey: must be true or false")]
    [InlineData("{encryption: {algorithm: aws:kms, kmsKeyId: '${role.main.r.arn}'}}", "encryption.kmsKeyId: a reference here names an estate key")]
    public void Parse_BadBucketVersioningLifecycleOrEncryption_IsReportedWithItsLine(string bucket, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n    buckets:\n      my-bucket: {bucket}\n", "."));

        Assert.Contains(error.Errors, e => e.StartsWith("line 5: accounts.main.buckets.my-bucket", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_RolesTrustingEachOther_IsACycleReportedBeforeAnyChange()
    {
        await using var server = await TestServer.StartAsync();
        using var harness = new EstateHarness(server);
        var file = harness.Write("estate.yaml", """
            accounts:
              main:
                management: true
                users:
                  bystander: {}
                roles:
                  a: {trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "${role.main.b.arn}"}, Action: "sts:AssumeRole"}]}}
                  b: {trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "${role.main.a.arn}"}, Action: "sts:AssumeRole"}]}}
            """);

        var plan = await harness.PlanAsync(file);
        var apply = await harness.ApplyAsync(file);

        Assert.Equal(1, plan.Exit);
        Assert.Contains("refer to each other in a cycle, so none can be created first: role main/a, role main/b", plan.Error, StringComparison.Ordinal);
        Assert.Equal(1, apply.Exit);
        Assert.DoesNotContain("creating", apply.Output, StringComparison.Ordinal);
        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(server.Endpoint), harness.Credentials, TimeProvider.System);
        Assert.Null(await iam.FindAsync("GetUser", [new("UserName", "bystander")], CancellationToken.None));
    }
}
