using System.Text.Json;

namespace Cloudkeep.Services.Alerts;

/// <summary>
/// The security rules on for every account. Each is an EventBridge pattern over the CloudTrail
/// event as EventBridge delivers it ("detail" is the record; detail-type "AWS API Call via
/// CloudTrail" or "AWS Console Sign In via CloudTrail",
/// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html), so an
/// operator can read them as they read their own; a predicate adds what a pattern cannot say.
/// Failed calls (an errorCode) raise nothing, except sign-ins: a failed root sign-in is worth knowing.
/// </summary>
public static class BuiltInAlertRules
{
    public static IReadOnlyList<AlertRule> All { get; } =
    [
        Rule("root-sign-in", AlertSeverity.High, "Root user signed in",
            "The account's root user signed in to the console (or tried to). Root should stay locked; find out who and why.",
            """{"detail-type":["AWS Console Sign In via CloudTrail"],"detail":{"eventName":["ConsoleLogin"],"userIdentity":{"type":["Root"]}}}"""),
        Rule("root-password-reset-requested", AlertSeverity.High, "Root password reset requested",
            "Someone asked for the root user's password reset link. If nobody told #cyber-security-help beforehand, treat it as an attack.",
            """{"detail":{"eventName":["PasswordRecoveryRequested"],"errorCode":[{"exists":false}]}}"""),
        Rule("root-password-reset-completed", AlertSeverity.High, "Root password reset completed",
            "The root user's password was reset through the e-mailed link; root can now sign in.",
            """{"detail":{"eventName":["PasswordRecoveryCompleted"],"errorCode":[{"exists":false}]}}"""),
        Rule("root-access-key-created", AlertSeverity.Critical, "Root access key created",
            "The root user created an access key for itself: a key no policy can limit. Delete it and use roles.",
            """{"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["CreateAccessKey"],"userIdentity":{"type":["Root"]},"requestParameters":{"userName":[{"exists":false}]},"errorCode":[{"exists":false}]}}"""),
        // Long-term keys start AKIA, session keys (console, roles) ASIA: a root call signed with an AKIA key is a root access key in use.
        Rule("root-access-key-used", AlertSeverity.High, "Root access key used",
            "A call was made with the root user's access key.",
            """{"detail-type":["AWS API Call via CloudTrail"],"detail":{"userIdentity":{"type":["Root"],"accessKeyId":[{"prefix":"AKIA"}]}}}""") with { QuietPeriod = TimeSpan.FromHours(1) },
        Rule("mfa-device-removed", AlertSeverity.High, "MFA device deactivated or deleted",
            "An MFA device was deactivated or deleted: its user (or root) signs in with a password alone until a new one is enrolled.",
            """{"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["DeactivateMFADevice","DeleteVirtualMFADevice"],"errorCode":[{"exists":false}]}}"""),
        Rule("admin-policy-attached", AlertSeverity.High, "Policy granting * on * attached",
            "A policy allowing every action on every resource, without requiring MFA, was attached or put on an identity (or became a policy's default version).",
            """{"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["AttachUserPolicy","AttachGroupPolicy","AttachRolePolicy","PutUserPolicy","PutGroupPolicy","PutRolePolicy","CreatePolicyVersion"],"errorCode":[{"exists":false}]}}""")
            with { Predicate = GrantsEverythingAsync },
        Rule("bucket-made-public", AlertSeverity.High, "S3 bucket made public",
            "A bucket policy or ACL now lets anyone in, or the bucket's public access block was removed.",
            """{"detail":{"eventSource":["s3.amazonaws.com"],"eventName":["PutBucketPolicy","PutBucketAcl","DeleteBucketPublicAccessBlock","DeletePublicAccessBlock"],"errorCode":[{"exists":false}]}}""")
            with { Predicate = MadePublicAsync },
        Rule("trail-stopped", AlertSeverity.High, "Trail stopped or deleted",
            "A CloudTrail trail stopped logging or was deleted: what happens next may go unrecorded.",
            """{"detail":{"eventSource":["cloudtrail.amazonaws.com"],"eventName":["StopLogging","DeleteTrail"],"errorCode":[{"exists":false}]}}"""),
        Rule("login-profile-without-mfa", AlertSeverity.Medium, "Console password given to a user without MFA",
            "A login profile (console password) was created for a user who has no MFA device.",
            """{"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["CreateLoginProfile"],"errorCode":[{"exists":false}]}}""")
            with { Predicate = UserWithoutMfaAsync },
    ];

    private static AlertRule Rule(string name, AlertSeverity severity, string title, string description, string pattern) =>
        new(name, severity, title, description, EventPattern.Parse(pattern)) { BuiltIn = true };

    private static async ValueTask<bool> GrantsEverythingAsync(JsonElement record, IAlertFacts facts, CancellationToken cancellationToken)
    {
        var parameters = AlertDocuments.Property(record, "requestParameters");
        if (AlertDocuments.Document(parameters is { } p ? AlertDocuments.Property(p, "policyDocument") : null) is { } document)
        {
            // CreatePolicyVersion changes what is attached only when it becomes the default.
            return (AlertDocuments.Text(record, "eventName") != "CreatePolicyVersion" || IsTrue(parameters is { } q ? AlertDocuments.Property(q, "setAsDefault") : null))
                && AlertDocuments.GrantsEverythingWithoutMfa(document);
        }

        if (AlertDocuments.Text(record, "requestParameters", "policyArn") is { } arn
            && AlertDocuments.Document(JsonSerializer.SerializeToElement(await facts.ManagedPolicyDocumentAsync(arn, cancellationToken))) is { } attached)
        {
            return AlertDocuments.GrantsEverythingWithoutMfa(attached);
        }

        return false;
    }

    private static ValueTask<bool> MadePublicAsync(JsonElement record, IAlertFacts facts, CancellationToken cancellationToken)
    {
        var parameters = AlertDocuments.Property(record, "requestParameters");
        return ValueTask.FromResult(AlertDocuments.Text(record, "eventName") switch
        {
            "PutBucketPolicy" => parameters is { } p && AlertDocuments.Document(AlertDocuments.Property(p, "bucketPolicy") ?? AlertDocuments.Property(p, "policy")) is { } policy && AlertDocuments.AllowsAnyone(policy),
            "PutBucketAcl" => parameters is { } p && AlertDocuments.NamesPublicGrantee(p),
            _ => true,
        });
    }

    private static async ValueTask<bool> UserWithoutMfaAsync(JsonElement record, IAlertFacts facts, CancellationToken cancellationToken) =>
        AlertDocuments.Text(record, "requestParameters", "userName") is { } user
        && AlertDocuments.Text(record, "recipientAccountId") is { } account
        && !await facts.UserHasMfaAsync(account, user, cancellationToken);

    private static bool IsTrue(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.True } || (value is { ValueKind: JsonValueKind.String } text && string.Equals(text.GetString(), "true", StringComparison.OrdinalIgnoreCase));
}
