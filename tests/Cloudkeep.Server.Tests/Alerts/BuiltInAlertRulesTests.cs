using System.Text.Json;
using Cloudkeep.Services.Alerts;

namespace Cloudkeep.Server.Tests.Alerts;

/// <summary>Each built-in rule over CloudTrail records in AWS's format: the record that makes it fire, and near misses that do not.</summary>
public sealed class BuiltInAlertRulesTests
{
    private const string Account = "111122223333";

    private sealed class Facts(bool userHasMfa = false, string? document = null) : IAlertFacts
    {
        public ValueTask<bool> UserHasMfaAsync(string accountId, string userName, CancellationToken cancellationToken) => ValueTask.FromResult(userHasMfa);

        public ValueTask<string?> ManagedPolicyDocumentAsync(string policyArn, CancellationToken cancellationToken) =>
            ValueTask.FromResult(policyArn == "arn:aws:iam::aws:policy/AdministratorAccess" ? """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""" : document);
    }

    private static string Record(string eventSource, string eventName, string identityType = "IAMUser", string? accessKeyId = "ASIAEXAMPLE", string requestParameters = "null", string? errorCode = null, string eventType = "AwsApiCall") =>
        $$"""
        {"eventVersion":"1.09","userIdentity":{"type":"{{identityType}}","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::{{Account}}:{{(identityType == "Root" ? "root" : "user/alice")}}","accountId":"{{Account}}"{{(accessKeyId is null ? "" : $",\"accessKeyId\":\"{accessKeyId}\"")}}},
         "eventTime":"2026-12-07T03:00:00Z","eventSource":"{{eventSource}}","eventName":"{{eventName}}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5",
         "userAgent":"aws-cli/2","requestParameters":{{requestParameters}},"responseElements":null,{{(errorCode is null ? "" : $"\"errorCode\":\"{errorCode}\",\"errorMessage\":\"no\",")}}
         "requestID":"r1","eventID":"e1","readOnly":false,"eventType":"{{eventType}}","managementEvent":true,"recipientAccountId":"{{Account}}","eventCategory":"Management"}
        """;

    private static async Task<IReadOnlyList<string>> FiredAsync(string record, IAlertFacts? facts = null)
    {
        var element = JsonDocument.Parse(record).RootElement;
        var envelope = AlertEngine.Envelope(element);
        var fired = new List<string>();
        foreach (var rule in BuiltInAlertRules.All)
        {
            if (rule.Pattern.Matches(envelope) && (rule.Predicate is null || await rule.Predicate(element, facts ?? new Facts(), CancellationToken.None)))
            {
                fired.Add(rule.Name);
            }
        }

        return fired;
    }

    public static TheoryData<string, string[]> Records => new()
    {
        { Record("signin.amazonaws.com", "ConsoleLogin", "Root", eventType: "AwsConsoleSignIn"), ["root-sign-in"] },
        { Record("signin.amazonaws.com", "ConsoleLogin", "Root", eventType: "AwsConsoleSignIn", errorCode: "Failed authentication"), ["root-sign-in"] },
        { Record("signin.amazonaws.com", "ConsoleLogin", "IAMUser", eventType: "AwsConsoleSignIn"), [] },
        { Record("signin.amazonaws.com", "PasswordRecoveryRequested", "Root", eventType: "AwsConsoleSignIn"), ["root-password-reset-requested"] },
        { Record("signin.amazonaws.com", "PasswordRecoveryCompleted", "Root", eventType: "AwsConsoleSignIn"), ["root-password-reset-completed"] },
        { Record("iam.amazonaws.com", "CreateAccessKey", "Root", "ASIAROOTCONSOLE"), ["root-access-key-created"] },
        { Record("iam.amazonaws.com", "CreateAccessKey", "Root", "ASIAROOTCONSOLE", """{"userName":"alice"}"""), [] },
        { Record("iam.amazonaws.com", "CreateAccessKey", "Root", "ASIAROOTCONSOLE", errorCode: "LimitExceeded"), [] },
        { Record("iam.amazonaws.com", "CreateAccessKey", "IAMUser"), [] },
        { Record("s3.amazonaws.com", "ListBuckets", "Root", "AKIAROOTKEY"), ["root-access-key-used"] },
        { Record("iam.amazonaws.com", "CreateAccessKey", "Root", "AKIAROOTKEY"), ["root-access-key-created", "root-access-key-used"] },
        { Record("s3.amazonaws.com", "ListBuckets", "Root", "ASIAROOTSESSION"), [] },
        { Record("s3.amazonaws.com", "ListBuckets", "IAMUser", "AKIAUSERKEY"), [] },
        { Record("iam.amazonaws.com", "DeactivateMFADevice", requestParameters: """{"userName":"alice","serialNumber":"arn:aws:iam::111122223333:mfa/alice"}"""), ["mfa-device-removed"] },
        { Record("iam.amazonaws.com", "DeleteVirtualMFADevice", requestParameters: """{"serialNumber":"arn:aws:iam::111122223333:mfa/alice"}"""), ["mfa-device-removed"] },
        { Record("iam.amazonaws.com", "DeactivateMFADevice", errorCode: "AccessDenied"), [] },
        { Record("iam.amazonaws.com", "AttachUserPolicy", requestParameters: """{"userName":"bob","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"""), ["admin-policy-attached"] },
        { Record("iam.amazonaws.com", "AttachRolePolicy", requestParameters: """{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"""), [] },
        { Record("iam.amazonaws.com", "PutUserPolicy", requestParameters: """{"userName":"bob","policyName":"p","policyDocument":"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"}"""), ["admin-policy-attached"] },
        { Record("iam.amazonaws.com", "PutRolePolicy", requestParameters: """{"roleName":"r","policyName":"p","policyDocument":"%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D"}"""), ["admin-policy-attached"] },
        { Record("iam.amazonaws.com", "PutGroupPolicy", requestParameters: """{"groupName":"g","policyName":"p","policyDocument":"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}}}"}"""), [] },
        { Record("iam.amazonaws.com", "CreatePolicyVersion", requestParameters: """{"policyArn":"arn:aws:iam::111122223333:policy/p","setAsDefault":true,"policyDocument":"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"}"""), ["admin-policy-attached"] },
        { Record("iam.amazonaws.com", "CreatePolicyVersion", requestParameters: """{"policyArn":"arn:aws:iam::111122223333:policy/p","setAsDefault":false,"policyDocument":"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"}"""), [] },
        { Record("s3.amazonaws.com", "PutBucketPolicy", requestParameters: """{"bucketName":"b","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}}"""), ["bucket-made-public"] },
        { Record("s3.amazonaws.com", "PutBucketPolicy", requestParameters: """{"bucketName":"b","bucketPolicy":{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}}"""), [] },
        { Record("s3.amazonaws.com", "PutBucketPolicy", requestParameters: """{"bucketName":"b","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}}"""), [] },
        { Record("s3.amazonaws.com", "PutBucketAcl", requestParameters: """{"bucketName":"b","x-amz-acl":["public-read"]}"""), ["bucket-made-public"] },
        { Record("s3.amazonaws.com", "PutBucketAcl", requestParameters: """{"bucketName":"b","AccessControlPolicy":{"AccessControlList":{"Grant":[{"Grantee":{"URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}]}}}"""), ["bucket-made-public"] },
        { Record("s3.amazonaws.com", "PutBucketAcl", requestParameters: """{"bucketName":"b","x-amz-acl":["private"]}"""), [] },
        { Record("s3.amazonaws.com", "DeleteBucketPublicAccessBlock", requestParameters: """{"bucketName":"b"}"""), ["bucket-made-public"] },
        { Record("cloudtrail.amazonaws.com", "StopLogging", requestParameters: """{"name":"main"}"""), ["trail-stopped"] },
        { Record("cloudtrail.amazonaws.com", "DeleteTrail", requestParameters: """{"name":"main"}"""), ["trail-stopped"] },
        { Record("cloudtrail.amazonaws.com", "StartLogging", requestParameters: """{"name":"main"}"""), [] },
        { Record("iam.amazonaws.com", "CreateLoginProfile", requestParameters: """{"userName":"bob","passwordResetRequired":true}"""), ["login-profile-without-mfa"] },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public async Task BuiltInRules_Record_FireAsExpected(string record, string[] expected) =>
        Assert.Equal(expected, await FiredAsync(record));

    [Fact]
    public async Task LoginProfile_UserWithMfa_Quiet() =>
        Assert.Empty(await FiredAsync(Record("iam.amazonaws.com", "CreateLoginProfile", requestParameters: """{"userName":"bob"}"""), new Facts(userHasMfa: true)));

    [Fact]
    public async Task AdminPolicy_CustomerManagedPolicyGrantingEverything_ReadThroughFacts()
    {
        var record = Record("iam.amazonaws.com", "AttachGroupPolicy", requestParameters: """{"groupName":"g","policyArn":"arn:aws:iam::111122223333:policy/everything"}""");
        Assert.Equal(["admin-policy-attached"], await FiredAsync(record, new Facts(document: "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%7D")));
        Assert.Empty(await FiredAsync(record, new Facts(document: """{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""")));
    }

    [Fact]
    public void BuiltInRules_EveryOneHasANameTitleAndDescription()
    {
        Assert.Equal(10, BuiltInAlertRules.All.Count);
        Assert.All(BuiltInAlertRules.All, r => Assert.True(r.BuiltIn && r.Title.Length > 0 && r.Description.Length > 0));
        Assert.Equal(BuiltInAlertRules.All.Count, BuiltInAlertRules.All.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void Envelope_CloudTrailRecord_AsEventBridgeDeliversIt()
    {
        var envelope = AlertEngine.Envelope(JsonDocument.Parse(Record("signin.amazonaws.com", "ConsoleLogin", "Root", eventType: "AwsConsoleSignIn")).RootElement);
        Assert.Equal("aws.signin", envelope.GetProperty("source").GetString());
        Assert.Equal("AWS Console Sign In via CloudTrail", envelope.GetProperty("detail-type").GetString());
        Assert.Equal(Account, envelope.GetProperty("account").GetString());
        Assert.Equal("ConsoleLogin", envelope.GetProperty("detail").GetProperty("eventName").GetString());
    }

    [Fact]
    public void RuleFile_OperatorRules_Compiled()
    {
        var rules = AlertRuleFile.Parse("""{"rules":[{"name":"bucket-deleted","severity":"low","title":"A bucket was deleted","pattern":{"source":["aws.s3"],"detail":{"eventName":["DeleteBucket"]}}}]}""", "rules.json");
        var rule = Assert.Single(rules);
        Assert.Equal(("bucket-deleted", AlertSeverity.Low, false), (rule.Name, rule.Severity, rule.BuiltIn));
        Assert.True(rule.Pattern.Matches(AlertEngine.Envelope(JsonDocument.Parse(Record("s3.amazonaws.com", "DeleteBucket")).RootElement)));
    }

    [Fact]
    public void RuleFile_Problems_AllReportedWithTheirRule()
    {
        var e = Assert.Throws<AlertRuleFileException>(() => AlertRuleFile.Parse(
            """{"rules":[{"name":"root-sign-in","pattern":{"a":["x"]}},{"severity":"urgent","pattern":{"a":[]}},{"name":"nopattern"}]}""", "rules.json"));
        Assert.Equal(
            [
                "rules[0] (root-sign-in): the name is taken (built-in rules' names included)",
                "rules[1]: a rule needs a name",
                "rules[1] (rules[1]): severity is Low, Medium, High or Critical, not \"urgent\"",
                "rules[1] (rules[1]): pattern: a: an empty array matches nothing",
                "rules[2] (nopattern): a rule needs a pattern (an object)",
            ], e.Problems);
    }
}
