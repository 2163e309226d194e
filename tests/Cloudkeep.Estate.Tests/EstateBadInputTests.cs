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

    [Theory]
    [InlineData("{replication: [a]}", "replication: must be a mapping {role, rules}")]
    [InlineData("{replication: {rules: [{id: a, destination: {bucket: other}}]}}", "replication: 'role' is required")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r'}}", "replication: 'rules' is required")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: []}}", "replication.rules: S3 needs at least one rule")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: {id: a}}}", "replication.rules: must be a list of replication rules")]
    [InlineData("{replication: {role: 'arn:aws:iam::123:role/r', rules: [{id: a, destination: {bucket: other}}]}}", "replication.role: 'arn:aws:iam::123:role/r' is not a role ARN")]
    [InlineData("{replication: {role: '${policy.main.p.arn}', rules: [{id: a, destination: {bucket: other}}]}}", "replication.role: a reference here names an estate role")]
    [InlineData("{replication: {role: replicaton, rules: [{id: a, destination: {bucket: other}}]}}", "replication.role: no role 'replicaton' is declared in account 'main'; did you mean 'replication'? (name a role the file does not declare by its ARN)")]
    [InlineData("{replication: {role: 'no such role', rules: [{id: a, destination: {bucket: other}}]}}", "replication.role: 'no such role' is not a role name")]
    [InlineData("{replication: {rol: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: other}}]}}", "replication.rol: unknown key; did you mean 'role'?")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{destination: {bucket: other}}]}}", "replication.rules[0]: a replication rule needs an 'id'")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, priority: 1, destination: {bucket: o1}}, {id: a, priority: 2, destination: {bucket: o2}}]}}", "replication.rules[1].id: id 'a' is already used by another rule")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: o1}}, {id: b, destination: {bucket: o2}}]}}", "replication.rules[0]: with more than one rule each needs a 'priority'")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, priority: 1, destination: {bucket: o1}}, {id: b, priority: 1, destination: {bucket: o2}}]}}", "replication.rules[1].priority: priority 1 is already used by rule 0")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, priority: -1, destination: {bucket: other}}]}}", "replication.rules[0].priority: must be a whole number")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, status: On, destination: {bucket: other}}]}}", "replication.rules[0].status: must be Enabled or Disabled")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, prefix: docs/, filter: {prefix: docs/}, destination: {bucket: other}}]}}", "replication.rules[0].prefix: give 'prefix' or 'filter', not both")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, filter: {tags: {k: v}}, deleteMarkerReplication: true, destination: {bucket: other}}]}}", "replication.rules[0].deleteMarkerReplication: S3 refuses delete marker replication in a rule that filters on tags")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, deleteMarkerReplication: yes, destination: {bucket: other}}]}}", "replication.rules[0].deleteMarkerReplication: must be true or false")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, filter: {size: 1}, destination: {bucket: other}}]}}", "replication.rules[0].filter.size: unknown key")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destinaton: {bucket: other}}]}}", "replication.rules[0].destinaton: unknown key; did you mean 'destination'?")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a}]}}", "replication.rules[0]: 'destination' is required")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {storageClass: STANDARD}}]}}", "replication.rules[0].destination: 'bucket' is required")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: Not_A_Bucket}}]}}", "replication.rules[0].destination.bucket: 'Not_A_Bucket' is not a bucket name")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: my-bucket}}]}}", "replication.rules[0].destination.bucket: a bucket cannot replicate into itself")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: '${bucket.main.my-bucket.arn}'}}]}}", "replication.rules[0].destination.bucket: a bucket cannot replicate into itself")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: '${role.main.r.arn}'}}]}}", "replication.rules[0].destination.bucket: a reference here names an estate bucket")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: other, storageClass: STANDARD_IAA}}]}}", "destination.storageClass: 'STANDARD_IAA' is not a storage class for replicas; expected one of STANDARD, REDUCED_REDUNDANCY, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, GLACIER_IR; did you mean 'STANDARD_IA'?")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: other, account: '123'}}]}}", "destination.account: must be a 12-digit account id or ${account.NAME.id}")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: other, ownerOverride: true}}]}}", "destination.ownerOverride: making the destination's account the replicas' owner needs 'account'")]
    [InlineData("{replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: other, replicaKmsKeyId: '${role.main.r.arn}'}}]}}", "destination.replicaKmsKeyId: a reference here names an estate key")]
    [InlineData("{versioning: Suspended, replication: {role: 'arn:aws:iam::123456789012:role/r', rules: [{id: a, destination: {bucket: other}}]}}", "replication: S3 replicates only from a bucket with versioning Enabled (this one says Suspended)")]
    public void Parse_BadReplication_IsReportedWithItsLine(string bucket, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n    buckets:\n      my-bucket: {bucket}\n    roles:\n      replication: {{trustPolicy: {{Version: '2012-10-17', Statement: [{{Effect: Allow, Principal: {{Service: s3.amazonaws.com}}, Action: 'sts:AssumeRole'}}]}}}}\n", "."));

        Assert.Contains(error.Errors, e => e.StartsWith("line 5: accounts.main.buckets.my-bucket.", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("audit: {multiRegion: true}", "line 7: accounts.main.trails.audit: 'bucket' is required")]
    [InlineData("audit: {bucket: trail-logz}", "line 7: accounts.main.trails.audit.bucket: no bucket 'trail-logz' is declared in the estate (CreateTrail needs it to exist with a policy letting CloudTrail write); did you mean 'trail-logs'?")]
    [InlineData("audit: {bucket: Trail_Logs}", "line 7: accounts.main.trails.audit.bucket: 'Trail_Logs' is not a bucket name")]
    [InlineData("audit: {bucket: trail-logs, multiRegion: everywhere}", "line 7: accounts.main.trails.audit.multiRegion: must be true or false")]
    [InlineData("audit: {bucket: trail-logs, region: europe}", "line 7: accounts.main.trails.audit.region: 'europe' is not a region name (e.g. eu-west-1)")]
    [InlineData("audit: {bucket: trail-logs, logfileValidation: true}", "line 7: accounts.main.trails.audit.logfileValidation: unknown key; did you mean 'logFileValidation'?")]
    [InlineData("-audit-: {bucket: trail-logs}", "line 7: accounts.main.trails.-audit-: '-audit-' is not a valid name here")]
    public void Parse_BadTrail_IsReportedWithItsLine(string trail, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n    buckets:\n      trail-logs: {{}}\n    trails:\n      {trail}\n", "."));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("topics:\n      alerts: {subscriptions: [{protocol: sms, endpoint: '+447700900000'}]}", "line 5: accounts.main.topics.alerts.subscriptions[0].protocol: 'sms' is not a protocol Cloudkeep SNS delivers to; expected one of: email, email-json, http, https")]
    [InlineData("topics:\n      alerts: {subscriptions: [{protocol: email, endpoint: billing}]}", "line 5: accounts.main.topics.alerts.subscriptions[0].endpoint: 'billing' is not an e-mail address")]
    [InlineData("topics:\n      alerts: {subscriptions: [{protocol: https, endpoint: 'http://hooks.example.com/'}]}", "line 5: accounts.main.topics.alerts.subscriptions[0].endpoint: a https endpoint is a URL starting https://")]
    [InlineData("topics:\n      alerts: {subscriptions: [{protocol: email}]}", "line 5: accounts.main.topics.alerts.subscriptions[0]: a subscription needs a protocol and an endpoint")]
    [InlineData("topics:\n      alerts: {subscriptions: [{protocol: email, endpoint: a@example.com}, {protocol: email, endpoint: a@example.com}]}", "line 5: accounts.main.topics.alerts.subscriptions[1]: email:a@example.com is already subscribed above")]
    [InlineData("topics:\n      alerts: {subscriptions: {protocol: email, endpoint: a@example.com}}", "line 5: accounts.main.topics.alerts.subscriptions: must be a list of {protocol, endpoint}")]
    [InlineData("topics:\n      alerts: {displayname: Alerts}", "line 5: accounts.main.topics.alerts.displayname: unknown key; did you mean 'displayName'?")]
    [InlineData("topics:\n      alerts: {region: virginia}", "line 5: accounts.main.topics.alerts.region: 'virginia' is not a region name (e.g. eu-west-1)")]
    [InlineData("topics:\n      billing.alerts: {}", "line 5: accounts.main.topics.billing.alerts: 'billing.alerts' is not a valid name here")]
    [InlineData("topics:\n      alerts: {policy: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sns:Publish', Resource: '*'}]}}", "line 5: accounts.main.topics.alerts.policy: malformed policy: ")]
    public void Parse_BadTopic_IsReportedWithItsLine(string section, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n    {section}\n", "."));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 60, evaluationPeriods: 1, threshold: 1}", "line 7: accounts.main.alarms.a: 'comparisonOperator' is required")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Total, period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: GreaterThanThreshold}", "line 7: accounts.main.alarms.a.statistic: 'Total' is not a statistic; expected one of: SampleCount, Average, Sum, Minimum, Maximum, or a percentile such as p99")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 45, evaluationPeriods: 1, threshold: 1, comparisonOperator: GreaterThanThreshold}", "line 7: accounts.main.alarms.a.period: must be 10, 30 or a multiple of 60 seconds")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 60, evaluationPeriods: 0, threshold: 1, comparisonOperator: GreaterThanThreshold}", "line 7: accounts.main.alarms.a.evaluationPeriods: must be at least 1")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 60, evaluationPeriods: 1, datapointsToAlarm: 2, threshold: 1, comparisonOperator: GreaterThanThreshold}", "line 7: accounts.main.alarms.a.datapointsToAlarm: must not be more than evaluationPeriods")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 86400, evaluationPeriods: 8, threshold: 1, comparisonOperator: GreaterThanThreshold}", "line 7: accounts.main.alarms.a: period times evaluationPeriods may not exceed 7 days")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 60, evaluationPeriods: 1, threshold: lots, comparisonOperator: GreaterThanThreshold}", "line 7: accounts.main.alarms.a.threshold: must be a number")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: GreaterThanThreshhold}", "line 7: accounts.main.alarms.a.comparisonOperator: 'GreaterThanThreshhold' is not allowed; did you mean 'GreaterThanThreshold'? expected one of: ")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: GreaterThanThreshold, treatMissingData: notbreaching}", "line 7: accounts.main.alarms.a.treatMissingData: 'notbreaching' is not allowed; did you mean 'notBreaching'?")]
    [InlineData("alarms:\n      a: {namespace: AWS/Billing, metricName: EstimatedCharges, dimensions: {Currency: USD}, statistic: Maximum, period: 21600, evaluationPeriods: 1, threshold: 100, comparisonOperator: GreaterThanThreshold}", "line 7: accounts.main.alarms.a.region: AWS/Billing metrics exist only in us-east-1: give 'region: us-east-1'")]
    [InlineData("alarms:\n      a: {namespace: App, metricName: Errors, statistic: Sum, period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: GreaterThanThreshold, alarmActions: [alertz]}", "line 7: accounts.main.alarms.a.alarmActions: no topic 'alertz' is declared in account 'main'; did you mean 'alerts'?")]
    [InlineData("alarms:\n      a: {region: us-east-1, namespace: App, metricName: Errors, statistic: Sum, period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: GreaterThanThreshold, okActions: [alerts]}", "line 7: accounts.main.alarms.a.okActions: topic 'alerts' is in eu-west-1 and the alarm in us-east-1: CloudWatch notifies topics of the alarm's region only")]
    [InlineData("alarms:\n      a: {namespace: App, metricname: Errors}", "line 7: accounts.main.alarms.a.metricname: unknown key; did you mean 'metricName'?")]
    public void Parse_BadAlarm_IsReportedWithItsLine(string section, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n    topics:\n      alerts: {{region: eu-west-1}}\n    {section}\n", "."));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
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
