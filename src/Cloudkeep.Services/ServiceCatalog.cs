using Cloudkeep.Core.Operations;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Services.CloudTrail.Operations;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Iam.Operations;
using Cloudkeep.Services.Kms;
using Cloudkeep.Services.Kms.Operations;
using Cloudkeep.Services.Organizations;
using Cloudkeep.Services.Organizations.Operations;
using Cloudkeep.Services.Route53;
using Cloudkeep.Services.Route53.Operations;
using Cloudkeep.Services.S3;
using Cloudkeep.Services.S3.Operations;
using Cloudkeep.Services.Sns;
using Cloudkeep.Services.Sns.Operations;
using Cloudkeep.Services.Sts.Operations;

namespace Cloudkeep.Services;

/// <summary>Every operation handler the services implement; the server registers exactly these.</summary>
public static class ServiceCatalog
{
    public static IReadOnlyList<IOperationHandler> CreateHandlers(IamContext iam, OrganizationContext organizations, KmsKeyStore kms, S3Context s3, Route53Context route53)
    {
        var handlers = new List<IOperationHandler>
        {
            // STS
            new GetCallerIdentity(),
            new AssumeRole(iam),
            new GetSessionToken(iam),
            new GetAccessKeyInfo(iam),
            new DecodeAuthorizationMessage(),

            // IAM: users, groups, roles
            new CreateUser(iam), new GetUser(iam), new ListUsers(iam), new UpdateUser(iam), new DeleteUser(iam),
            new CreateGroup(iam), new GetGroup(iam), new ListGroups(iam), new UpdateGroup(iam), new DeleteGroup(iam),
            new AddUserToGroup(iam), new RemoveUserFromGroup(iam), new ListGroupsForUser(iam),
            new CreateRole(iam), new GetRole(iam), new ListRoles(iam), new DeleteRole(iam), new UpdateAssumeRolePolicy(iam),

            // IAM: managed policies and their versions
            new Iam.Operations.CreatePolicy(iam), new GetPolicy(iam), new Iam.Operations.ListPolicies(iam), new Iam.Operations.DeletePolicy(iam),
            new CreatePolicyVersion(iam), new GetPolicyVersion(iam), new ListPolicyVersions(iam),
            new DeletePolicyVersion(iam), new SetDefaultPolicyVersion(iam),

            // IAM: access keys and virtual MFA
            new CreateAccessKey(iam), new ListAccessKeys(iam), new UpdateAccessKey(iam), new DeleteAccessKey(iam),
            new CreateVirtualMFADevice(iam), new EnableMFADevice(iam), new DeactivateMFADevice(iam),
            new DeleteVirtualMFADevice(iam), new ListMFADevices(iam), new ListVirtualMFADevices(iam),

            // IAM: passwords
            new UpdateAccountPasswordPolicy(iam), new GetAccountPasswordPolicy(iam), new DeleteAccountPasswordPolicy(iam),
            new CreateLoginProfile(iam), new GetLoginProfile(iam), new UpdateLoginProfile(iam), new DeleteLoginProfile(iam),
            new ChangePassword(iam),

            // IAM: tags, boundaries, the account
            new TagEntity(iam, user: true, TagEntity.Verb.Tag), new TagEntity(iam, user: true, TagEntity.Verb.Untag), new TagEntity(iam, user: true, TagEntity.Verb.List),
            new TagEntity(iam, user: false, TagEntity.Verb.Tag), new TagEntity(iam, user: false, TagEntity.Verb.Untag), new TagEntity(iam, user: false, TagEntity.Verb.List),
            new PermissionsBoundary(iam, user: true, put: true), new PermissionsBoundary(iam, user: true, put: false),
            new PermissionsBoundary(iam, user: false, put: true), new PermissionsBoundary(iam, user: false, put: false),
            new AccountAliases(iam, "CreateAccountAlias"), new AccountAliases(iam, "DeleteAccountAlias"), new AccountAliases(iam, "ListAccountAliases"),
            new GetAccountSummary(iam),
            new SimulatePrincipalPolicy(iam), new SimulateCustomPolicy(iam), new ListEntitiesForPolicy(iam),
            new CredentialReport(iam, generate: true), new CredentialReport(iam, generate: false),
            new GetAccountAuthorizationDetails(iam), new ResyncMFADevice(iam),
            new GetContextKeys(iam, principal: true), new GetContextKeys(iam, principal: false), new GetAccessKeyLastUsed(iam), new UpdateRole(iam, descriptionOnly: false), new UpdateRole(iam, descriptionOnly: true),

            // Organizations
            new DescribeOrganization(organizations), new CreateOrganization(organizations), new ListRoots(organizations),
            new CreateAccount(organizations), new DescribeCreateAccountStatus(organizations),
            new DescribeAccount(organizations), new ListAccounts(organizations),
            new Organizations.Operations.CreatePolicy(organizations), new DescribePolicy(organizations),
            new Organizations.Operations.ListPolicies(organizations), new ListPoliciesForTarget(organizations),
            new AttachPolicy(organizations), new DetachPolicy(organizations),
            new Organizations.Operations.DeletePolicy(organizations), new EnablePolicyType(organizations),
            new UpdatePolicy(organizations), new ListTargetsForPolicy(organizations),
            new CreateOrganizationalUnit(organizations), new DeleteOrganizationalUnit(organizations),
            new DescribeOrganizationalUnit(organizations), new UpdateOrganizationalUnit(organizations),
            new ListOrganizationalUnitsForParent(organizations), new ListAccountsForParent(organizations),
            new ListChildren(organizations), new ListParents(organizations), new MoveAccount(organizations),
        };

        // Attached and inline policies: the same operations for users, groups and roles.
        foreach (var entity in new PrincipalEntity[] { PrincipalEntity.User, PrincipalEntity.Group, PrincipalEntity.Role })
        {
            handlers.Add(new AttachPrincipalPolicy(iam, entity));
            handlers.Add(new DetachPrincipalPolicy(iam, entity));
            handlers.Add(new ListAttachedPrincipalPolicies(iam, entity));
            handlers.Add(new PutPrincipalPolicy(iam, entity));
            handlers.Add(new GetPrincipalPolicy(iam, entity));
            handlers.Add(new DeletePrincipalPolicy(iam, entity));
            handlers.Add(new ListPrincipalPolicies(iam, entity));
        }

        handlers.AddRange(CreateKmsHandlers(kms));
        handlers.AddRange(CreateS3Handlers(s3));
        handlers.AddRange(CreateRoute53Handlers(route53));
        return handlers;
    }

    public static IReadOnlyList<IOperationHandler> CreateS3Handlers(S3Context s3)
    {
        var handlers = new List<IOperationHandler>
        {
            new CreateBucket(s3), new HeadBucket(s3), new DeleteBucket(s3), new ListBuckets(s3), new GetBucketLocation(s3),
            new PutBucketPolicy(s3), new GetBucketPolicy(s3), new DeleteBucketPolicy(s3), new GetBucketPolicyStatus(s3),
            new BucketAcl(s3, put: true), new BucketAcl(s3, put: false),
            new PutObject(s3), new GetObject(s3), new HeadObject(s3), new GetObjectAttributes(s3), new DeleteObject(s3), new DeleteObjects(s3), new CopyObject(s3),
            new ListObjects(s3), new ListObjectsV2(s3), new ListObjectVersions(s3),
            new PutBucketVersioning(s3), new GetBucketVersioning(s3),
            new PutBucketLifecycleConfiguration(s3), new GetBucketLifecycleConfiguration(s3), new DeleteBucketLifecycle(s3),
            new PutBucketReplication(s3), new GetBucketReplication(s3), new DeleteBucketReplication(s3),
            new PutBucketLogging(s3), new GetBucketLogging(s3),
            new PutBucketNotificationConfiguration(s3), new GetBucketNotificationConfiguration(s3),
            new PutObjectLockConfiguration(s3), new GetObjectLockConfiguration(s3),
            new ObjectRetentionOperation(s3, put: true), new ObjectRetentionOperation(s3, put: false),
            new ObjectLegalHoldOperation(s3, put: true), new ObjectLegalHoldOperation(s3, put: false),
            new ObjectAcl(s3, put: true), new ObjectAcl(s3, put: false),
            new CreateMultipartUpload(s3), new UploadPart(s3), new UploadPartCopy(s3), new CompleteMultipartUpload(s3),
            new AbortMultipartUpload(s3), new ListParts(s3), new ListMultipartUploads(s3),
        };
        foreach (var verb in new[] { BucketDocument.Verb.Put, BucketDocument.Verb.Get, BucketDocument.Verb.Delete })
        {
            handlers.Add(new ObjectTagging(s3, verb));
            foreach (var kind in BucketDocumentKind.All)
            {
                handlers.Add(new BucketDocument(s3, kind, verb));
            }
        }

        return handlers;
    }

    /// <summary>CloudTrail's event history, trails and their selectors and tags; the rest of its model (event data stores, Lake queries, channels, Insights, dashboards) answers NotImplemented.</summary>
    public static IReadOnlyList<IOperationHandler> CreateCloudTrailHandlers(CloudTrailContext cloudTrail) =>
    [
        new LookupEvents(cloudTrail),
        new CreateTrail(cloudTrail),
        new UpdateTrail(cloudTrail),
        new GetTrail(cloudTrail),
        new DescribeTrails(cloudTrail),
        new ListTrails(cloudTrail),
        new DeleteTrail(cloudTrail),
        new GetTrailStatus(cloudTrail),
        new TrailLogging(cloudTrail, start: true),
        new TrailLogging(cloudTrail, start: false),
        new EventSelectors(cloudTrail, put: true),
        new EventSelectors(cloudTrail, put: false),
        new TrailTags(cloudTrail, add: true),
        new TrailTags(cloudTrail, add: false),
        new ListTags(cloudTrail),
        new ListPublicKeys(cloudTrail),
    ];

    /// <summary>SNS's topics, subscriptions, publishing and tags; the rest of its model (SMS, mobile push, data protection) answers NotImplemented.</summary>
    public static IReadOnlyList<IOperationHandler> CreateSnsHandlers(SnsContext sns) =>
    [
        new CreateTopic(sns), new DeleteTopic(sns), new ListTopics(sns), new GetTopicAttributes(sns), new SetTopicAttributes(sns),
        new Subscribe(sns), new ConfirmSubscription(sns), new Unsubscribe(sns),
        new ListSubscriptions(sns), new ListSubscriptionsByTopic(sns), new GetSubscriptionAttributes(sns), new SetSubscriptionAttributes(sns),
        new Publish(sns), new PublishBatch(sns),
        new TagTopic(sns), new UntagTopic(sns), new ListTopicTags(sns),
    ];

    /// <summary>CloudWatch Logs' groups, streams, events, retention and group tags; the rest of its model answers NotImplemented.</summary>
    public static IReadOnlyList<IOperationHandler> CreateLogsHandlers(Logs.LogsContext logs) =>
    [
        new Logs.Operations.CreateLogGroup(logs), new Logs.Operations.DeleteLogGroup(logs), new Logs.Operations.DescribeLogGroups(logs),
        new Logs.Operations.PutRetentionPolicy(logs), new Logs.Operations.DeleteRetentionPolicy(logs),
        new Logs.Operations.CreateLogStreamOperation(logs), new Logs.Operations.DeleteLogStreamOperation(logs), new Logs.Operations.DescribeLogStreams(logs),
        new Logs.Operations.PutLogEvents(logs), new Logs.Operations.GetLogEvents(logs), new Logs.Operations.FilterLogEvents(logs),
        new Logs.Operations.TagLogGroup(logs), new Logs.Operations.UntagLogGroup(logs), new Logs.Operations.ListTagsLogGroup(logs),
    ];

    /// <summary>CloudWatch's metrics and metric alarms; the rest of its model (dashboards, composite alarms, anomaly detectors, Contributor Insights, metric streams) answers NotImplemented.</summary>
    public static IReadOnlyList<IOperationHandler> CreateCloudWatchHandlers(CloudWatch.CloudWatchContext cloudWatch, CloudWatch.AlarmStates states) =>
    [
        new CloudWatch.Operations.PutMetricData(cloudWatch), new CloudWatch.Operations.GetMetricData(cloudWatch),
        new CloudWatch.Operations.GetMetricStatistics(cloudWatch), new CloudWatch.Operations.ListMetrics(cloudWatch),
        new CloudWatch.Operations.PutMetricAlarm(cloudWatch), new CloudWatch.Operations.DescribeAlarms(cloudWatch),
        new CloudWatch.Operations.DescribeAlarmsForMetric(cloudWatch), new CloudWatch.Operations.DeleteAlarms(cloudWatch),
        new CloudWatch.Operations.SetAlarmState(cloudWatch, states),
        new CloudWatch.Operations.AlarmActionsSwitch(cloudWatch, enable: true), new CloudWatch.Operations.AlarmActionsSwitch(cloudWatch, enable: false),
        new CloudWatch.Operations.DescribeAlarmHistory(cloudWatch),
        new CloudWatch.Operations.AlarmTags(cloudWatch, CloudWatch.Operations.AlarmTags.Verb.Tag),
        new CloudWatch.Operations.AlarmTags(cloudWatch, CloudWatch.Operations.AlarmTags.Verb.Untag),
        new CloudWatch.Operations.AlarmTags(cloudWatch, CloudWatch.Operations.AlarmTags.Verb.List),
    ];

    /// <summary>Cost Explorer's cost and usage, dimension values, tags and forecast; the rest of its model (anomalies, cost categories, reservations, savings plans, recommendations) answers NotImplemented.</summary>
    public static IReadOnlyList<IOperationHandler> CreateCostExplorerHandlers(Billing.CostExplorerContext costs) =>
    [
        new Billing.Operations.GetCostAndUsage(costs),
        new Billing.Operations.GetDimensionValues(costs),
        new Billing.Operations.GetTags(costs),
        new Billing.Operations.GetCostForecast(costs),
    ];

    /// <summary>Route 53's hosted zones, record sets, changes and tags; the rest of its model answers NotImplemented.</summary>
    public static IReadOnlyList<IOperationHandler> CreateRoute53Handlers(Route53Context route53) =>
    [
        new CreateHostedZone(route53),
        new GetHostedZone(route53),
        new ListHostedZones(route53),
        new ListHostedZonesByName(route53),
        new DeleteHostedZone(route53),
        new ChangeResourceRecordSets(route53),
        new ListResourceRecordSets(route53),
        new GetChange(route53),
        new ChangeTagsForResource(route53),
        new ListTagsForResource(route53),
    ];

    public static IReadOnlyList<IOperationHandler> CreateKmsHandlers(KmsKeyStore kms) =>
    [
        new CreateKey(kms),
        new DescribeKey(kms),
        new ListKeys(kms),
        new EnableKey(kms),
        new DisableKey(kms),
        new ScheduleKeyDeletion(kms),
        new CancelKeyDeletion(kms),
        new CreateAlias(kms),
        new UpdateAlias(kms),
        new DeleteAlias(kms),
        new ListAliases(kms),
        new Encrypt(kms),
        new Decrypt(kms),
        new ReEncrypt(kms),
        new GenerateDataKey(kms),
        new GenerateDataKey(kms, withPlaintext: false),
        new GenerateRandom(kms),
        new GetKeyPolicy(kms),
        new PutKeyPolicy(kms),
        new ListKeyPolicies(kms),
        new EnableKeyRotation(kms),
        new DisableKeyRotation(kms),
        new GetKeyRotationStatus(kms),
        new RotateKeyOnDemand(kms),
        new ListResourceTags(kms),
        new TagResource(kms),
        new UntagResource(kms),
    ];
}
