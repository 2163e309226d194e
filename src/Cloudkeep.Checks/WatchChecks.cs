namespace Cloudkeep.Checks;

/// <summary>
/// The checks: each a pure function of one account's facts (and the baseline, and now), returning
/// its findings. Severities follow AWS Security Hub's for the same control where there is one
/// (IAM.4 root access key: critical; IAM.5 console user without MFA: medium; IAM.3 / IAM.8 old or
/// unused keys: medium; S3.2 / S3.3 public read or write: critical, here high; S3.5 TLS only: medium;
/// CloudTrail.1 no logging multi-region trail: high; CloudTrail.4 log file validation: low).
/// </summary>
public static class WatchChecks
{
    public const string RootAccessKey = "ROOT_ACCESS_KEY";
    public const string RootRecentlyUsed = "ROOT_RECENTLY_USED";
    public const string ConsoleUserWithoutMfa = "CONSOLE_USER_WITHOUT_MFA";
    public const string AccessKeyOld = "ACCESS_KEY_OLD";
    public const string AccessKeyUnused = "ACCESS_KEY_UNUSED";
    public const string PasswordPolicyMissing = "PASSWORD_POLICY_MISSING";
    public const string PasswordPolicyWeak = "PASSWORD_POLICY_WEAK";
    public const string BucketPublic = "BUCKET_PUBLIC";
    public const string BucketNoPublicAccessBlock = "BUCKET_NO_PUBLIC_ACCESS_BLOCK";
    public const string BucketNotTlsOnly = "BUCKET_NOT_TLS_ONLY";
    public const string BucketNotVersioned = "BUCKET_NOT_VERSIONED";
    public const string BucketNotEncrypted = "BUCKET_NOT_ENCRYPTED";
    public const string BucketNotReplicated = "BUCKET_NOT_REPLICATED";
    public const string BucketNotLogged = "BUCKET_NOT_LOGGED";
    public const string RoleTrustsAnyone = "ROLE_TRUSTS_ANYONE";
    public const string RoleTrustsAccountWithoutMfa = "ROLE_TRUSTS_ACCOUNT_WITHOUT_MFA";
    public const string PolicyAdminWithoutMfa = "POLICY_ADMIN_WITHOUT_MFA";
    public const string KeyPolicyOpen = "KMS_KEY_POLICY_OPEN";
    public const string TrailOff = "TRAIL_OFF";
    public const string TrailStopped = "TRAIL_STOPPED";
    public const string TrailWithoutValidation = "TRAIL_NO_LOG_FILE_VALIDATION";

    /// <summary>Every check, in the order findings are listed.</summary>
    public static readonly IReadOnlyList<Func<AccountFacts, AccountBaseline, DateTimeOffset, IEnumerable<Finding>>> All =
    [
        (f, _, _) => RootKeys(f),
        (f, _, now) => RootUse(f, now),
        (f, _, _) => ConsoleMfa(f),
        (f, _, now) => KeyAge(f, now),
        (f, b, _) => PasswordPolicy(f, b),
        (f, _, _) => PublicBuckets(f),
        (f, b, _) => BucketHygiene(f, b),
        (f, _, _) => RoleTrust(f),
        (f, _, _) => AdminPolicies(f),
        (f, _, _) => KeyPolicies(f),
        (f, _, _) => TrailsOff(f),
        (f, _, _) => TrailValidation(f),
    ];

    private static readonly TimeSpan KeyMaxAge = TimeSpan.FromDays(90);
    private static readonly TimeSpan RootWindow = TimeSpan.FromDays(30);

    public static IReadOnlyList<Finding> Run(AccountFacts facts, AccountBaseline baseline, DateTimeOffset now) =>
        [.. All.SelectMany(check => check(facts, baseline, now))];

    public static IEnumerable<Finding> RootKeys(AccountFacts facts)
    {
        foreach (var root in facts.Credentials.Where(r => r.IsRoot))
        {
            foreach (var key in root.Keys.Where(k => k.Active))
            {
                yield return new Finding(RootAccessKey, Severity.Critical, facts.AccountId, root.Arn,
                    $"The root user has an active access key (slot {key.Slot}): a key that can do anything in the account, and no policy can limit it.",
                    "Sign in as root, delete the root access key (Security credentials), and use IAM roles instead.");
            }
        }
    }

    public static IEnumerable<Finding> RootUse(AccountFacts facts, DateTimeOffset now)
    {
        foreach (var root in facts.Credentials.Where(r => r.IsRoot))
        {
            var uses = root.Keys.Select(k => k.LastUsed).Append(root.PasswordLastUsed).OfType<DateTimeOffset>().Where(t => now - t <= RootWindow).ToList();
            if (uses.Count > 0)
            {
                yield return new Finding(RootRecentlyUsed, Severity.High, facts.AccountId, root.Arn,
                    $"The root user was used on {uses.Max():yyyy-MM-dd}, within the last 30 days; root should stay locked, reached only through a password reset.",
                    "Find out who used root and why (the account's CloudTrail events); reset the root password if it may be known, and do the work through IAM roles.");
            }
        }
    }

    public static IEnumerable<Finding> ConsoleMfa(AccountFacts facts) =>
        facts.Credentials.Where(r => !r.IsRoot && r.PasswordEnabled && !r.MfaActive).Select(r =>
            new Finding(ConsoleUserWithoutMfa, Severity.Medium, facts.AccountId, r.Arn,
                $"User {r.User} can sign in to the console with a password alone.",
                $"Have {r.User} enrol an MFA device (aws iam enable-mfa-device), or delete the login profile if the console is not needed."));

    public static IEnumerable<Finding> KeyAge(AccountFacts facts, DateTimeOffset now)
    {
        foreach (var row in facts.Credentials.Where(r => !r.IsRoot))
        {
            foreach (var key in row.Keys.Where(k => k.Active))
            {
                if (key.LastRotated is { } rotated && now - rotated > KeyMaxAge)
                {
                    yield return new Finding(AccessKeyOld, Severity.Medium, facts.AccountId, row.Arn,
                        $"Access key {key.Slot} of {row.User} was made {(int)(now - rotated).TotalDays} days ago (more than 90).",
                        $"Create a new key for {row.User}, move its users to it, then deactivate and delete the old one.");
                }

                var since = key.LastUsed ?? key.LastRotated;
                if (since is { } last && now - last > KeyMaxAge)
                {
                    yield return new Finding(AccessKeyUnused, Severity.Medium, facts.AccountId, row.Arn,
                        key.LastUsed is null
                            ? $"Access key {key.Slot} of {row.User} has never been used in the {(int)(now - last).TotalDays} days since it was made."
                            : $"Access key {key.Slot} of {row.User} was last used {(int)(now - last).TotalDays} days ago (more than 90).",
                        $"Deactivate the key (aws iam update-access-key --status Inactive), then delete it if nothing breaks.");
                }
            }
        }
    }

    public static IEnumerable<Finding> PasswordPolicy(AccountFacts facts, AccountBaseline baseline)
    {
        var arn = $"arn:aws:iam::{facts.AccountId}:root";
        var wanted = baseline.PasswordPolicy;
        if (facts.PasswordPolicy is not { } actual)
        {
            yield return new Finding(PasswordPolicyMissing, Severity.Medium, facts.AccountId, arn,
                "The account has no password policy: IAM users may set any password of 8 characters or more.",
                $"Set one at least as strong as {baseline.Source} (aws iam update-account-password-policy, or the estate's passwordPolicy).");
            yield break;
        }

        var weaker = new List<string>();
        if (actual.MinimumLength < wanted.MinimumLength)
        {
            weaker.Add($"minimum length {actual.MinimumLength} < {wanted.MinimumLength}");
        }

        void Require(bool has, bool wants, string what)
        {
            if (wants && !has)
            {
                weaker.Add($"{what} not required");
            }
        }

        Require(actual.RequireUppercase, wanted.RequireUppercase, "uppercase letters");
        Require(actual.RequireLowercase, wanted.RequireLowercase, "lowercase letters");
        Require(actual.RequireNumbers, wanted.RequireNumbers, "numbers");
        Require(actual.RequireSymbols, wanted.RequireSymbols, "symbols");
        if (wanted.MaxAgeDays is { } maxAge && (actual.MaxAgeDays is null || actual.MaxAgeDays > maxAge))
        {
            weaker.Add($"maximum age {actual.MaxAgeDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} > {maxAge} days");
        }

        if (wanted.ReusePrevention is { } reuse && (actual.ReusePrevention ?? 0) < reuse)
        {
            weaker.Add($"reuse prevention {actual.ReusePrevention ?? 0} < {reuse}");
        }

        if (weaker.Count > 0)
        {
            yield return new Finding(PasswordPolicyWeak, Severity.Medium, facts.AccountId, arn,
                $"The password policy is weaker than {baseline.Source}: {string.Join("; ", weaker)}.",
                "Raise it (aws iam update-account-password-policy, or apply the estate).");
        }
    }

    /// <summary>
    /// A bucket is public when its policy grants "*" without a narrowing condition and
    /// RestrictPublicBuckets does not neutralise that, or its ACL grants AllUsers or
    /// AuthenticatedUsers and IgnorePublicAcls does not.
    /// </summary>
    public static IEnumerable<Finding> PublicBuckets(AccountFacts facts)
    {
        foreach (var bucket in facts.Buckets)
        {
            var block = bucket.PublicAccessBlock;
            var reasons = new List<string>();
            if (block?.RestrictPublicBuckets != true && PolicyDocuments.Statements(bucket.Policy)
                .Any(s => PolicyDocuments.IsAllow(s) && PolicyDocuments.AwsPrincipals(s).Contains("*") && !PolicyDocuments.IsNarrowed(s)))
            {
                reasons.Add("its bucket policy allows anyone (Principal \"*\") without a condition narrowing who");
            }

            if (block?.IgnorePublicAcls != true && bucket.AclGroupGrantees.Any(IsPublicGroup))
            {
                reasons.Add("its ACL grants AllUsers or AuthenticatedUsers");
            }

            if (reasons.Count > 0)
            {
                yield return new Finding(BucketPublic, Severity.High, facts.AccountId, BucketArn(bucket),
                    $"Bucket {bucket.Name} is public: {string.Join("; and ", reasons)}.",
                    "Remove the public statement or grant, and turn on all four settings of the bucket's public access block (aws s3api put-public-access-block).");
            }
        }
    }

    public static IEnumerable<Finding> BucketHygiene(AccountFacts facts, AccountBaseline baseline)
    {
        foreach (var bucket in facts.Buckets)
        {
            var arn = BucketArn(bucket);
            if (bucket.PublicAccessBlock is null)
            {
                yield return new Finding(BucketNoPublicAccessBlock, Severity.Medium, facts.AccountId, arn,
                    $"Bucket {bucket.Name} has no public access block: one policy or ACL change makes it public.",
                    "aws s3api put-public-access-block with BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets true (or the estate's publicAccessBlock).");
            }

            if (!PolicyDocuments.DeniesInsecureTransport(bucket.Policy))
            {
                yield return new Finding(BucketNotTlsOnly, Severity.Medium, facts.AccountId, arn,
                    $"Bucket {bucket.Name} accepts requests over plain HTTP: its policy has no Deny for aws:SecureTransport false.",
                    "Add the TLS-only statement: Effect Deny, Principal \"*\", Action s3:*, the bucket and its objects, Condition Bool aws:SecureTransport \"false\".");
            }

            if (!bucket.Versioning)
            {
                yield return new Finding(BucketNotVersioned, Severity.Low, facts.AccountId, arn,
                    $"Bucket {bucket.Name} is not versioned: an overwrite or delete loses the object.",
                    "aws s3api put-bucket-versioning --versioning-configuration Status=Enabled (or the estate's versioning: Enabled).");
            }

            if (!bucket.DefaultEncryption)
            {
                yield return new Finding(BucketNotEncrypted, Severity.Low, facts.AccountId, arn,
                    $"Bucket {bucket.Name} has no default encryption configuration.",
                    "aws s3api put-bucket-encryption with SSE-S3 or SSE-KMS (or the estate's encryption).");
            }

            if (!bucket.Replication && baseline.ReplicatedBuckets.Contains(bucket.Name))
            {
                yield return new Finding(BucketNotReplicated, Severity.Medium, facts.AccountId, arn,
                    $"Bucket {bucket.Name} does not replicate, but {baseline.Source} says it does.",
                    "Apply the estate (cloudkeep apply), or put the bucket's replication configuration back.");
            }

            if (!bucket.AccessLogging)
            {
                yield return new Finding(BucketNotLogged, Severity.Low, facts.AccountId, arn,
                    $"Bucket {bucket.Name} has no server access logging: nobody can tell later who read or changed what.",
                    "aws s3api put-bucket-logging to a logs bucket of the same account (or the estate's logging).");
            }
        }
    }

    /// <summary>
    /// A trust policy allowing "*" is open to every AWS account; one allowing another account
    /// without an MFA condition lets any of that account's users in with a key alone. Service
    /// principals (S3 replication, Lambda) are not people and are not judged here.
    /// </summary>
    public static IEnumerable<Finding> RoleTrust(AccountFacts facts)
    {
        foreach (var role in facts.Roles)
        {
            foreach (var statement in PolicyDocuments.Statements(role.TrustPolicy).Where(PolicyDocuments.IsAllow))
            {
                var principals = PolicyDocuments.AwsPrincipals(statement);
                if (principals.Contains("*") && !PolicyDocuments.IsNarrowed(statement))
                {
                    yield return new Finding(RoleTrustsAnyone, Severity.High, facts.AccountId, role.Arn,
                        $"Role {role.Name} may be assumed by any AWS principal (Principal \"*\") without a condition narrowing who.",
                        "Name the accounts or roles that may assume it in the trust policy (aws iam update-assume-role-policy).");
                    continue;
                }

                var others = principals.Select(PolicyDocuments.AccountOf).OfType<string>().Where(a => a != facts.AccountId).Distinct().ToList();
                if (others.Count > 0 && !PolicyDocuments.RequiresMfa(statement))
                {
                    yield return new Finding(RoleTrustsAccountWithoutMfa, Severity.Medium, facts.AccountId, role.Arn,
                        $"Role {role.Name} may be assumed from account {string.Join(", ", others)} without MFA.",
                        "If people assume it, add Condition Bool aws:MultiFactorAuthPresent \"true\" to the trust statement; if a machine does, name that machine's role instead of the whole account.");
                }
            }
        }
    }

    /// <summary>"*" on "*" without MFA: high when a user or group (people, with long-lived keys) has it, medium when only roles do.</summary>
    public static IEnumerable<Finding> AdminPolicies(AccountFacts facts)
    {
        foreach (var policy in facts.Policies)
        {
            if (!PolicyDocuments.Statements(policy.Document).Any(s => PolicyDocuments.AllowsEverything(s) && !PolicyDocuments.RequiresMfa(s)))
            {
                continue;
            }

            var people = policy.AttachedTo.Where(a => a.StartsWith("user/", StringComparison.Ordinal) || a.StartsWith("group/", StringComparison.Ordinal)).ToList();
            var attached = policy.AttachedTo.Count == 0 ? "attached to nothing yet" : "attached to " + string.Join(", ", policy.AttachedTo);
            yield return new Finding(PolicyAdminWithoutMfa, people.Count > 0 ? Severity.High : Severity.Medium, facts.AccountId, policy.Arn,
                $"Policy {policy.Name} allows every action on every resource without requiring MFA ({attached}).",
                "Add Condition Bool aws:MultiFactorAuthPresent \"true\" to the statement, or give people a role that requires MFA to assume instead.");
        }
    }

    public static IEnumerable<Finding> KeyPolicies(AccountFacts facts) =>
        facts.Keys.Where(k => PolicyDocuments.Statements(k.Policy)
                .Any(s => PolicyDocuments.IsAllow(s) && PolicyDocuments.AwsPrincipals(s).Contains("*") && !PolicyDocuments.IsNarrowed(s)))
            .Select(k => new Finding(KeyPolicyOpen, Severity.High, facts.AccountId, k.Arn,
                $"The policy of KMS key {k.KeyId} ({k.Region}) allows any AWS principal (Principal \"*\") without a condition such as kms:CallerAccount.",
                "Name the account's root or the roles that use the key instead of \"*\" (aws kms put-key-policy)."));

    /// <summary>
    /// Each region looked at must have a trail that is logging (the account's own, a multi-region
    /// trail's shadow or the organization's trail); and a trail of the account's that was stopped is
    /// named once, whichever regions show it: what happens in its regions goes unrecorded.
    /// </summary>
    public static IEnumerable<Finding> TrailsOff(AccountFacts facts)
    {
        foreach (var region in facts.Trails)
        {
            if (region.Trails.Any(t => t.Logging))
            {
                continue;
            }

            var stopped = region.Trails.Select(t => t.Name).ToList();
            yield return new Finding(TrailOff, Severity.High, facts.AccountId, $"arn:aws:cloudtrail:{region.Region}:{facts.AccountId}:trail/*",
                stopped.Count == 0
                    ? $"No trail records {region.Region}: nothing done there reaches a log file, and the event history keeps 90 days at most."
                    : $"No trail is logging in {region.Region} ({string.Join(", ", stopped)} {(stopped.Count == 1 ? "is" : "are")} stopped): nothing done there reaches a log file.",
                "Create a multi-region trail with log file validation and start it (aws cloudtrail create-trail --is-multi-region-trail --enable-log-file-validation, then start-logging), or the estate's trails.");
        }

        foreach (var trail in OwnTrails(facts).Where(t => !t.Logging))
        {
            yield return new Finding(TrailStopped, Severity.High, facts.AccountId, trail.Arn,
                $"Trail {trail.Name} ({trail.HomeRegion}) is not logging: someone stopped it, and calls in its {(trail.MultiRegion ? "regions" : "region")} are no longer delivered.",
                $"Find out who stopped it (StopLogging in the event history) and start it again (aws cloudtrail start-logging --name {trail.Name}).");
        }
    }

    /// <summary>Log file validation is what lets `cloudkeep audit verify` (or `aws cloudtrail validate-logs`) prove a log file was not changed or deleted.</summary>
    public static IEnumerable<Finding> TrailValidation(AccountFacts facts) =>
        OwnTrails(facts).Where(t => !t.LogFileValidation).Select(t =>
            new Finding(TrailWithoutValidation, Severity.Low, facts.AccountId, t.Arn,
                $"Trail {t.Name} ({t.HomeRegion}) delivers no digest files: a log file changed or deleted in its bucket cannot be told from a true one.",
                $"aws cloudtrail update-trail --name {t.Name} --enable-log-file-validation (or the estate's logFileValidation: true)."));

    /// <summary>The account's own trails (not the organization's, which its owner answers for), each once.</summary>
    private static IEnumerable<TrailFact> OwnTrails(AccountFacts facts) =>
        facts.Trails.SelectMany(r => r.Trails).Where(t => t.Owner == facts.AccountId).DistinctBy(t => t.Arn).OrderBy(t => t.Arn, StringComparer.Ordinal);

    private static bool IsPublicGroup(string uri) =>
        uri.EndsWith("/global/AllUsers", StringComparison.Ordinal) || uri.EndsWith("/global/AuthenticatedUsers", StringComparison.Ordinal);

    private static string BucketArn(BucketFact bucket) => $"arn:aws:s3:::{bucket.Name}";
}
