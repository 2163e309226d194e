using System.Collections.Frozen;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam;

/// <summary>
/// The AWS managed policies Cloudkeep ships under arn:aws:iam::aws:policy/. Documents follow AWS's
/// published versions; ReadOnlyAccess and Billing are condensed to the wildcard families AWS's
/// long action lists amount to for the services Cloudkeep serves. SecurityAudit keeps AWS's own
/// entries (its BaseSecurityAuditStatement, version v91) for the services Cloudkeep serves (IAM,
/// STS, Organizations, KMS, S3) and the common audit services (CloudTrail, Config, EC2, CloudWatch,
/// GuardDuty, Security Hub, ...), and leaves out the many others and its API Gateway statement:
/// the whole list would not fit the managed-policy size every document here is compiled under.
/// </summary>
public static class AwsManagedPolicies
{
    private static readonly DateTimeOffset Published = new(2015, 2, 6, 18, 39, 46, TimeSpan.Zero);
    private static readonly DateTimeOffset SecurityAuditPublished = new(2015, 2, 6, 18, 41, 1, TimeSpan.Zero);

    private static readonly FrozenDictionary<string, IamManagedPolicy> Policies = new[]
    {
        Make("AdministratorAccess", "/", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", "Provides full access to AWS services and resources."),
        Make("PowerUserAccess", "/", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization","account:ListRegions","account:GetAccountInformation"],"Resource":"*"}]}""", "Provides full access to AWS services and resources, but does not allow management of Users and groups."),
        Make("ReadOnlyAccess", "/", """{"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyActions","Effect":"Allow","Action":["iam:Get*","iam:List*","iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy","organizations:Describe*","organizations:List*","s3:Get*","s3:List*","s3:Describe*","kms:Describe*","kms:Get*","kms:List*","cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*","cloudtrail:LookupEvents","budgets:Describe*","budgets:View*","ce:Describe*","ce:Get*","ce:List*","sts:GetCallerIdentity"],"Resource":"*"}]}""", "Provides read-only access to AWS services and resources."),
        Make("SecurityAudit", "/", """{"Version":"2012-10-17","Statement":[{"Sid":"BaseSecurityAuditStatement","Effect":"Allow","Action":["access-analyzer:GetAnalyzer","access-analyzer:GetFinding","access-analyzer:ListAnalyzers","access-analyzer:ListFindings","account:GetAccountInformation","account:GetAlternateContact","account:GetRegionOptStatus","acm:Describe*","acm:List*","cloudformation:DescribeStack*","cloudformation:GetStackPolicy","cloudformation:GetTemplate","cloudformation:ListStack*","cloudtrail:DescribeTrails","cloudtrail:GetEventSelectors","cloudtrail:GetTrail","cloudtrail:GetTrailStatus","cloudtrail:ListTags","cloudtrail:ListTrails","cloudtrail:LookupEvents","cloudwatch:Describe*","cloudwatch:ListDashboards","config:Describe*","config:Get*","config:List*","ec2:Describe*","ec2:GetEbsEncryptionByDefault","guardduty:Get*","guardduty:List*","iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy","kms:Describe*","kms:Get*","kms:List*","lambda:GetPolicy","lambda:List*","logs:Describe*","logs:ListTagsForResource","organizations:Describe*","organizations:List*","s3-object-lambda:GetObjectAcl","s3-object-lambda:GetObjectVersionAcl","s3:GetAccelerateConfiguration","s3:GetAccessPoint","s3:GetAccessPointPolicy","s3:GetAccessPointPolicyStatus","s3:GetAccountPublicAccessBlock","s3:GetAnalyticsConfiguration","s3:GetBucket*","s3:GetEncryptionConfiguration","s3:GetInventoryConfiguration","s3:GetLifecycleConfiguration","s3:GetMetricsConfiguration","s3:GetObjectAcl","s3:GetObjectTagging","s3:GetObjectVersionAcl","s3:GetReplicationConfiguration","s3:ListAccessPoints","s3:ListAllMyBuckets","s3:ListBucket","s3:ListJobs","secretsmanager:DescribeSecret","secretsmanager:GetResourcePolicy","secretsmanager:ListSecrets","securityhub:Describe*","securityhub:Get*","securityhub:List*","sns:GetTopicAttributes","sns:ListTopics","sqs:GetQueueAttributes","sqs:ListQueues","sts:GetAccessKeyInfo","tag:GetResources","tag:GetTagKeys"],"Resource":"*"}]}""", "The security audit template grants access to read security configuration metadata. It is useful for software that audits the configuration of an AWS account.", SecurityAuditPublished),
        Make("IAMReadOnlyAccess", "/", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}""", "Provides read only access to IAM via the AWS Management Console."),
        Make("IAMUserChangePassword", "/", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":["iam:GetAccountPasswordPolicy"],"Resource":"*"}]}""", "Provides the ability for an IAM user to change their own password."),
        Make("AmazonS3FullAccess", "/", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}""", "Provides full access to all buckets via the AWS Management Console."),
        Make("AmazonS3ReadOnlyAccess", "/", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}""", "Provides read only access to all buckets via the AWS Management Console."),
        Make("AWSKeyManagementServicePowerUser", "/", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:CreateAlias","kms:CreateKey","kms:DeleteAlias","kms:Describe*","kms:GenerateRandom","kms:Get*","kms:List*","kms:TagResource","kms:UntagResource","iam:ListGroups","iam:ListRoles","iam:ListUsers"],"Resource":"*"}]}""", "Provides access to AWS Key Management Service (KMS)."),
        Make("Billing", "/job-function/", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["aws-portal:*","billing:*","budgets:*","ce:*","cur:*","pricing:*","purchase-orders:*","tax:*","payments:*","consolidatedbilling:*","freetier:*","invoicing:*","account:GetAccountInformation","organizations:DescribeOrganization","organizations:ListAccounts"],"Resource":"*"}]}""", "Grants permissions for billing and cost management."),
    }.ToFrozenDictionary(p => p.Arn, StringComparer.Ordinal);

    public static IEnumerable<IamManagedPolicy> All => Policies.Values;

    public static bool TryGet(string arn, out IamManagedPolicy policy) => Policies.TryGetValue(arn, out policy!);

    private static IamManagedPolicy Make(string name, string path, string document, string description, DateTimeOffset? created = null) =>
        new(name, "ANPA" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..17],
            path, $"arn:aws:iam::aws:policy{path}{name}", description, created ?? Published, created ?? Published, "v1",
            [new IamPolicyVersion("v1", document, created ?? Published)], 2, []);
}
