using System.Globalization;
using Cloudkeep.Policy;

namespace Cloudkeep.Benchmarks.Policy;

/// <summary>
/// A typical principal: a user with seven identity policies, a permissions boundary, a bucket policy and one SCP
/// level — 10 policies, 50 statements — with conditions on variables, IP ranges, tags, dates and transport.
/// </summary>
internal static class TypicalDecision
{
    private static readonly string[] Services = ["dynamodb", "sqs", "ec2", "kms", "sns", "lambda", "logs"];

    public static EvaluationRequest Create()
    {
        var identity = new List<CompiledPolicy>();
        for (var p = 0; p < 7; p++)
        {
            identity.Add(Compile($"identity-{p}", PolicyKind.ManagedIdentity, IdentityStatements(p)));
        }

        var boundary = Compile("boundary", PolicyKind.Boundary,
            """{"Effect":"Allow","Action":["s3:*","dynamodb:*","sqs:*"],"Resource":"*"}""",
            """{"Effect":"Allow","Action":["ec2:Describe*","kms:Decrypt"],"Resource":"*"}""",
            """{"Effect":"Deny","Action":"iam:*","Resource":"*"}""",
            """{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}""",
            """{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}""");
        var bucket = Compile("bucket", PolicyKind.Bucket,
            """{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::reports","arn:aws:s3:::reports/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}""",
            """{"Sid":"OrgRead","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/shared/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}""",
            """{"Sid":"PartnerRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/partner"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/partner/*"}""",
            """{"Sid":"DenyOutsideNet","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::reports/*","Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24","2001:db8::/32"]}}}""",
            """{"Sid":"Auditor","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/auditor"},"Action":["s3:Get*","s3:List*"],"Resource":"*"}""");
        var scp = Compile("scp-root", PolicyKind.Scp,
            """{"Effect":"Allow","Action":"*","Resource":"*"}""",
            """{"Effect":"Deny","NotAction":["iam:*","sts:*","organizations:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1"]}}}""",
            """{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}""",
            """{"Effect":"Deny","Action":"s3:PutBucketPublicAccessBlock","Resource":"*"}""",
            """{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringNotEquals":{"ec2:InstanceType":["t3.micro","t3.small"]}}}""");

        var context = new RequestContextBuilder()
            .Set("aws:username", "alice")
            .Set("aws:userid", "AIDAJQABLZS4A3QDU576Q")
            .Set("aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice")
            .Set("aws:PrincipalAccount", "111122223333")
            .Set("aws:PrincipalOrgID", "o-abc123")
            .Set("aws:PrincipalTag/team", "analytics")
            .Set("aws:SourceIp", "203.0.113.42")
            .Set("aws:SecureTransport", "true")
            .Set("aws:CurrentTime", "2026-11-22T12:00:00Z")
            .Set("aws:EpochTime", "1795348800")
            .Set("aws:RequestedRegion", "eu-central-1")
            .Set("aws:MultiFactorAuthPresent", "true")
            .Set("aws:MultiFactorAuthAge", "300")
            .Set("s3:prefix", "home/alice/2026")
            .Build();

        return new EvaluationRequest
        {
            Principal = PrincipalInfo.FromArn("arn:aws:iam::111122223333:user/alice"),
            Action = "s3:GetObject",
            Resource = "arn:aws:s3:::reports/home/alice/2026/q3.csv",
            ResourceAccount = "111122223333",
            Context = context,
            IdentityPolicies = identity,
            PermissionsBoundary = boundary,
            ResourcePolicy = bucket,
            ScpLevels = [[scp]],
        };
    }

    // Five statements per identity policy; the last policy holds the statement that grants this request.
    private static string[] IdentityStatements(int p)
    {
        var service = Services[p];
        var statements = new List<string>
        {
            """{"Sid":"Read@N","Effect":"Allow","Action":["@SVC:Get*","@SVC:List*","@SVC:Describe*"],"Resource":"arn:aws:@SVC:eu-central-1:111122223333:*"}""",
            """{"Sid":"Write@N","Effect":"Allow","Action":["@SVC:Put*","@SVC:Update*"],"Resource":"arn:aws:@SVC:eu-central-1:111122223333:${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}}""",
            """{"Sid":"Team@N","Effect":"Allow","Action":"@SVC:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}""",
            """{"Sid":"DenyDelete@N","Effect":"Deny","Action":"@SVC:Delete*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}""",
        };
        statements.Add(p == 6
            ? """{"Sid":"HomeFolder","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/home/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}"""
            : """{"Sid":"S3List@N","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}}""");
        return [.. statements.Select(x => x.Replace("@SVC", service, StringComparison.Ordinal).Replace("@N", p.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))];
    }

    private static CompiledPolicy Compile(string id, PolicyKind kind, params string[] statements) =>
        PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""", kind, id).GetPolicyOrThrow();
}
