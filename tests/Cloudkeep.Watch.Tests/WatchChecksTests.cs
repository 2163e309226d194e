using System.Text.Json.Nodes;

namespace Cloudkeep.Watch.Tests;

/// <summary>Each check over hand-made facts: one test that makes it fire, one that keeps it quiet, and the edges between.</summary>
public sealed class WatchChecksTests
{
    private const string Account = "111122223333";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly AccountBaseline Baseline = AccountBaseline.Default;

    private static AccountFacts Facts() => new(Account, "main");

    private static CredentialRow Root(params AccessKeyFact[] keys) => new(CredentialRow.RootUser, $"arn:aws:iam::{Account}:root", false, null, false, keys);

    private static CredentialRow User(string name, bool password = false, bool mfa = false, DateTimeOffset? passwordUsed = null, params AccessKeyFact[] keys) =>
        new(name, $"arn:aws:iam::{Account}:user/{name}", password, passwordUsed, mfa, keys);

    private static IReadOnlyList<Finding> Run(AccountFacts facts, AccountBaseline? baseline = null) => WatchChecks.Run(facts, baseline ?? Baseline, Now);

    private static JsonNode Doc(string json) => JsonNode.Parse(json)!;

    private static IReadOnlyList<string> Ids(AccountFacts facts, AccountBaseline? baseline = null) => [.. Run(facts, baseline).Select(f => f.Id)];

    private static readonly PasswordPolicyFact Strong = new(12, true, true, true, false);

    private static readonly BucketFact GoodBucket = new("good", "eu-west-1")
    {
        Policy = Doc("""{"Version":"2012-10-17","Statement":[{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::good","arn:aws:s3:::good/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""),
        PublicAccessBlock = new PublicAccessBlockFact(true, true, true, true),
        Versioning = true,
        DefaultEncryption = true,
        Replication = true,
        AccessLogging = true,
    };

    [Fact]
    public void Run_CleanAccount_FindsNothing()
    {
        var facts = Facts() with
        {
            Credentials = [Root(), User("alice", password: true, mfa: true, keys: new AccessKeyFact(1, true, Now.AddDays(-10), Now.AddDays(-1)))],
            PasswordPolicy = Strong,
            Buckets = [GoodBucket],
            Roles = [new RoleFact("admins", $"arn:aws:iam::{Account}:role/admins", Doc("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"""))],
            Policies = [new PolicyFact("Admin", $"arn:aws:iam::{Account}:policy/Admin", Doc("""{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"""), ["group/Admins"])],
            Keys = [new KeyFact("k1", "arn:aws:kms:eu-west-1:111122223333:key/k1", "eu-west-1", Doc($$"""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"}]}"""))],
        };

        Assert.Empty(Run(facts));
    }

    [Fact]
    public void RootKeys_ActiveRootKey_Critical()
    {
        var finding = Assert.Single(Run(Facts() with { Credentials = [Root(new AccessKeyFact(1, true, Now.AddDays(-1), null))], PasswordPolicy = Strong }));
        Assert.Equal((WatchChecks.RootAccessKey, Severity.Critical, $"arn:aws:iam::{Account}:root"), (finding.Id, finding.Severity, finding.Resource));
    }

    [Fact]
    public void RootKeys_InactiveRootKey_Quiet() =>
        Assert.DoesNotContain(WatchChecks.RootAccessKey, Ids(Facts() with { Credentials = [Root(new AccessKeyFact(1, false, Now.AddDays(-1), null))], PasswordPolicy = Strong }));

    [Theory]
    [InlineData(29, true)]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public void RootUse_PasswordUsedDaysAgo_FiresWithin30Days(int daysAgo, bool fires)
    {
        var root = Root() with { PasswordLastUsed = Now.AddDays(-daysAgo) };
        Assert.Equal(fires, Ids(Facts() with { Credentials = [root], PasswordPolicy = Strong }).Contains(WatchChecks.RootRecentlyUsed));
    }

    [Fact]
    public void RootUse_KeyUsedYesterday_High()
    {
        var finding = Run(Facts() with { Credentials = [Root(new AccessKeyFact(1, false, Now.AddDays(-100), Now.AddDays(-1)))], PasswordPolicy = Strong }).Single(f => f.Id == WatchChecks.RootRecentlyUsed);
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    public void ConsoleMfa_PasswordAndMfa_FiresForPasswordWithoutMfa(bool password, bool mfa, bool fires) =>
        Assert.Equal(fires, Ids(Facts() with { Credentials = [User("bob", password, mfa)], PasswordPolicy = Strong }).Contains(WatchChecks.ConsoleUserWithoutMfa));

    [Fact]
    public void ConsoleMfa_RootWithoutMfa_NotThisCheck() =>
        Assert.DoesNotContain(WatchChecks.ConsoleUserWithoutMfa, Ids(Facts() with { Credentials = [Root() with { PasswordEnabled = true }], PasswordPolicy = Strong }));

    [Theory]
    [InlineData(91, 1, true, false)]
    [InlineData(89, 1, false, false)]
    [InlineData(10, null, false, false)]
    [InlineData(120, 95, true, true)]
    [InlineData(95, null, true, true)]
    public void KeyAge_RotatedAndUsedDaysAgo_OldAndUnused(int rotatedDaysAgo, int? usedDaysAgo, bool old, bool unused)
    {
        var key = new AccessKeyFact(1, true, Now.AddDays(-rotatedDaysAgo), usedDaysAgo is { } u ? Now.AddDays(-u) : null);
        var ids = Ids(Facts() with { Credentials = [User("ci", keys: key)], PasswordPolicy = Strong });
        Assert.Equal(old, ids.Contains(WatchChecks.AccessKeyOld));
        Assert.Equal(unused, ids.Contains(WatchChecks.AccessKeyUnused));
    }

    [Fact]
    public void KeyAge_InactiveOldKey_Quiet() =>
        Assert.Empty(Run(Facts() with { Credentials = [User("ci", keys: new AccessKeyFact(2, false, Now.AddDays(-400), null))], PasswordPolicy = Strong }));

    [Fact]
    public void PasswordPolicy_None_Missing() =>
        Assert.Equal([WatchChecks.PasswordPolicyMissing], Ids(Facts()));

    [Theory]
    [InlineData(8, true, true, true, "minimum length 8 < 12")]
    [InlineData(12, false, true, true, "uppercase letters not required")]
    [InlineData(12, true, false, true, "lowercase letters not required")]
    [InlineData(12, true, true, false, "numbers not required")]
    public void PasswordPolicy_WeakerThanBaseline_SaysHow(int length, bool upper, bool lower, bool numbers, string why)
    {
        var finding = Assert.Single(Run(Facts() with { PasswordPolicy = new PasswordPolicyFact(length, upper, lower, numbers, false) }));
        Assert.Equal(WatchChecks.PasswordPolicyWeak, finding.Id);
        Assert.Contains(why, finding.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void PasswordPolicy_StrongerThanBaseline_Quiet() =>
        Assert.Empty(Run(Facts() with { PasswordPolicy = new PasswordPolicyFact(20, true, true, true, true, 90, 24) }));

    [Fact]
    public void PasswordPolicy_BaselineWantsSymbolsAgeAndReuse_Fires()
    {
        var baseline = Baseline with { Source = "estate.yaml (account main)", PasswordPolicy = new PasswordPolicyFact(12, true, true, true, true, 90, 5) };
        var finding = Assert.Single(Run(Facts() with { PasswordPolicy = Strong }, baseline));
        Assert.Contains("symbols not required", finding.Why, StringComparison.Ordinal);
        Assert.Contains("maximum age none > 90 days", finding.Why, StringComparison.Ordinal);
        Assert.Contains("reuse prevention 0 < 5", finding.Why, StringComparison.Ordinal);
        Assert.Contains("estate.yaml (account main)", finding.Why, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> BucketIds(BucketFact bucket, AccountBaseline? baseline = null) =>
        Ids(Facts() with { PasswordPolicy = Strong, Buckets = [bucket] }, baseline);

    public static TheoryData<string, bool> PublicPolicies => new()
    {
        { """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", true },
        { """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", true },
        { """{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", true },
        { """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}""", false },
        { """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}""", false },
        { """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}""", true },
        { """{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}""", false },
        { """{"Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}""", false },
    };

    [Theory]
    [MemberData(nameof(PublicPolicies))]
    public void PublicBuckets_Policy_PublicUnlessNarrowedOrDenied(string policy, bool isPublic) =>
        Assert.Equal(isPublic, BucketIds(GoodBucket with { Policy = Doc(policy), PublicAccessBlock = null }).Contains(WatchChecks.BucketPublic));

    [Fact]
    public void PublicBuckets_PublicPolicyButRestrictPublicBuckets_NotPublic() =>
        Assert.DoesNotContain(WatchChecks.BucketPublic, BucketIds(GoodBucket with { Policy = Doc("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}""") }));

    [Theory]
    [InlineData("http://acs.amazonaws.com/groups/global/AllUsers", false, true)]
    [InlineData("http://acs.amazonaws.com/groups/global/AuthenticatedUsers", false, true)]
    [InlineData("http://acs.amazonaws.com/groups/global/AllUsers", true, false)]
    [InlineData("http://acs.amazonaws.com/groups/s3/LogDelivery", false, false)]
    public void PublicBuckets_AclGrant_PublicUnlessIgnored(string grantee, bool ignorePublicAcls, bool isPublic)
    {
        var bucket = GoodBucket with { AclGroupGrantees = [grantee], PublicAccessBlock = new PublicAccessBlockFact(false, ignorePublicAcls, true, true) };
        var finding = Run(Facts() with { PasswordPolicy = Strong, Buckets = [bucket] }).SingleOrDefault(f => f.Id == WatchChecks.BucketPublic);
        Assert.Equal(isPublic, finding is not null);
        Assert.True(finding is null || (finding.Severity == Severity.High && finding.Resource == "arn:aws:s3:::good"));
    }

    [Fact]
    public void BucketHygiene_NoPublicAccessBlock_Medium() =>
        Assert.Equal([WatchChecks.BucketNoPublicAccessBlock], BucketIds(GoodBucket with { PublicAccessBlock = null }));

    [Theory]
    [InlineData("""{"Statement":[]}""")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""")]
    public void BucketHygiene_NoTlsOnlyDeny_Fires(string policy) =>
        Assert.Contains(WatchChecks.BucketNotTlsOnly, BucketIds(GoodBucket with { Policy = Doc(policy) }));

    [Fact]
    public void BucketHygiene_NoPolicy_NotTlsOnly() =>
        Assert.Equal([WatchChecks.BucketNotTlsOnly], BucketIds(GoodBucket with { Policy = null }));

    [Fact]
    public void BucketHygiene_TlsOnlyWithBooleanFalse_Quiet() =>
        Assert.Empty(BucketIds(GoodBucket with { Policy = Doc("""{"Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*","Condition":{"Bool":{"aws:securetransport":false}}}}""") }));

    [Fact]
    public void BucketHygiene_NotVersioned_Low() =>
        Assert.Equal([(WatchChecks.BucketNotVersioned, Severity.Low)], Run(Facts() with { PasswordPolicy = Strong, Buckets = [GoodBucket with { Versioning = false }] }).Select(f => (f.Id, f.Severity)));

    [Fact]
    public void BucketHygiene_NotEncrypted_Low() =>
        Assert.Equal([WatchChecks.BucketNotEncrypted], BucketIds(GoodBucket with { DefaultEncryption = false }));

    [Fact]
    public void BucketHygiene_NotLogged_Low() =>
        Assert.Equal([WatchChecks.BucketNotLogged], BucketIds(GoodBucket with { AccessLogging = false }));

    [Fact]
    public void BucketHygiene_NotReplicatedButEstateSaysSo_Medium()
    {
        var baseline = Baseline with { Source = "estate.yaml", ReplicatedBuckets = new HashSet<string>(["good"]) };
        Assert.Equal([WatchChecks.BucketNotReplicated], BucketIds(GoodBucket with { Replication = false }, baseline));
    }

    [Fact]
    public void BucketHygiene_NotReplicatedAndEstateSilent_Quiet() =>
        Assert.Empty(BucketIds(GoodBucket with { Replication = false }));

    private static IReadOnlyList<Finding> RoleFindings(string trust) =>
        [.. Run(Facts() with { PasswordPolicy = Strong, Roles = [new RoleFact("r", $"arn:aws:iam::{Account}:role/r", Doc(trust))] })];

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""")]
    public void RoleTrust_Anyone_High(string trust)
    {
        var finding = Assert.Single(RoleFindings(trust));
        Assert.Equal((WatchChecks.RoleTrustsAnyone, Severity.High), (finding.Id, finding.Severity));
    }

    [Fact]
    public void RoleTrust_AnyoneInOrganization_Quiet() =>
        Assert.Empty(RoleFindings("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-123"}}}]}"""));

    [Theory]
    [InlineData("arn:aws:iam::444455556666:root")]
    [InlineData("444455556666")]
    [InlineData("arn:aws:iam::444455556666:role/jenkins")]
    public void RoleTrust_OtherAccountWithoutMfa_Medium(string principal)
    {
        var finding = Assert.Single(RoleFindings($$"""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"{{principal}}"},"Action":"sts:AssumeRole"}]}"""));
        Assert.Equal((WatchChecks.RoleTrustsAccountWithoutMfa, Severity.Medium), (finding.Id, finding.Severity));
        Assert.Contains("444455556666", finding.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}""")]
    public void RoleTrust_SameAccountServiceOrMfa_Quiet(string trust) =>
        Assert.Empty(RoleFindings(trust));

    [Fact]
    public void RoleTrust_MfaIfExists_StillFires() =>
        Assert.Single(RoleFindings("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}]}"""));

    private static IReadOnlyList<Finding> PolicyFindings(string document, params string[] attachedTo) =>
        [.. Run(Facts() with { PasswordPolicy = Strong, Policies = [new PolicyFact("p", $"arn:aws:iam::{Account}:policy/p", Doc(document), attachedTo)] })];

    [Theory]
    [InlineData("group/Admins", Severity.High)]
    [InlineData("user/alice", Severity.High)]
    [InlineData("role/infrastructure", Severity.Medium)]
    public void AdminPolicies_StarOnStarWithoutMfa_SeverityByWhoHasIt(string attachedTo, Severity severity)
    {
        var finding = Assert.Single(PolicyFindings("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", attachedTo));
        Assert.Equal((WatchChecks.PolicyAdminWithoutMfa, severity), (finding.Id, finding.Severity));
        Assert.Contains(attachedTo, finding.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminPolicies_Unattached_Medium() =>
        Assert.Equal(Severity.Medium, Assert.Single(PolicyFindings("""{"Statement":{"Effect":"Allow","Action":["*"],"Resource":["*"]}}""")).Severity);

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}""")]
    public void AdminPolicies_NotEverythingOrWithMfa_Quiet(string document) =>
        Assert.Empty(PolicyFindings(document, "user/alice"));

    private static IReadOnlyList<Finding> KeyFindings(string policy) =>
        [.. Run(Facts() with { PasswordPolicy = Strong, Keys = [new KeyFact("k", "arn:aws:kms:eu-west-2:111122223333:key/k", "eu-west-2", Doc(policy))] })];

    [Fact]
    public void KeyPolicies_OpenToEveryone_High()
    {
        var finding = Assert.Single(KeyFindings("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}"""));
        Assert.Equal((WatchChecks.KeyPolicyOpen, Severity.High, "arn:aws:kms:eu-west-2:111122223333:key/k"), (finding.Id, finding.Severity, finding.Resource));
    }

    [Fact]
    public void KeyPolicies_EveryoneOfCallerAccount_Quiet() =>
        Assert.Empty(KeyFindings("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}]}"""));

    private static TrailFact Trail(string name, bool logging = true, bool validation = true, bool multiRegion = true, string home = "eu-west-1", string owner = Account, bool organization = false) =>
        new(name, $"arn:aws:cloudtrail:{home}:{owner}:trail/{name}", home, multiRegion, organization, validation, logging);

    [Fact]
    public void TrailsOff_EveryRegionLogged_FindsNothing()
    {
        var trail = Trail("everywhere");
        Assert.Empty(Run(Facts() with { PasswordPolicy = Strong, Trails = [new("eu-west-1", [trail]), new("eu-west-2", [trail])] }));
    }

    [Fact]
    public void TrailsOff_RegionWithoutTrail_High()
    {
        var facts = Facts() with { PasswordPolicy = Strong, Trails = [new("eu-west-1", [Trail("home", multiRegion: false)]), new("eu-west-2", [])] };
        var finding = Assert.Single(Run(facts));
        Assert.Equal((WatchChecks.TrailOff, Severity.High, $"arn:aws:cloudtrail:eu-west-2:{Account}:trail/*"), (finding.Id, finding.Severity, finding.Resource));
        Assert.Contains("No trail records eu-west-2", finding.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailsOff_TrailStopped_TheTrailOnceAndEachRegionItLeftUnlogged()
    {
        var stopped = Trail("everywhere", logging: false);
        var facts = Facts() with { PasswordPolicy = Strong, Trails = [new("eu-west-1", [stopped]), new("eu-west-2", [stopped])] };
        var findings = Run(facts);
        Assert.Equal([WatchChecks.TrailOff, WatchChecks.TrailOff, WatchChecks.TrailStopped], findings.Select(f => f.Id));
        Assert.All(findings, f => Assert.Equal(Severity.High, f.Severity));
        Assert.Contains("everywhere is stopped", findings[0].Why, StringComparison.Ordinal);
        Assert.Equal(stopped.Arn, findings[2].Resource);
    }

    [Fact]
    public void TrailsOff_AnotherTrailStillLogs_OnlyTheStoppedTrail()
    {
        var facts = Facts() with { PasswordPolicy = Strong, Trails = [new("eu-west-1", [Trail("a"), Trail("b", logging: false)])] };
        var finding = Assert.Single(Run(facts));
        Assert.Equal((WatchChecks.TrailStopped, $"arn:aws:cloudtrail:eu-west-1:{Account}:trail/b"), (finding.Id, finding.Resource));
    }

    [Fact]
    public void TrailsOff_OrganizationTrailLogging_CoversAMemberAccount()
    {
        var organization = Trail("organization", owner: "999988887777", organization: true);
        Assert.Empty(Run(Facts() with { PasswordPolicy = Strong, Trails = [new("eu-west-1", [organization])] }));
    }

    [Fact]
    public void TrailsOff_OrganizationTrailStopped_RegionOffButTheTrailIsItsOwners()
    {
        var organization = Trail("organization", logging: false, validation: false, owner: "999988887777", organization: true);
        var finding = Assert.Single(Run(Facts() with { PasswordPolicy = Strong, Trails = [new("eu-west-1", [organization])] }));
        Assert.Equal(WatchChecks.TrailOff, finding.Id);
    }

    [Fact]
    public void TrailValidation_TrailWithoutDigests_LowOncePerTrail()
    {
        var trail = Trail("everywhere", validation: false);
        var finding = Assert.Single(Run(Facts() with { PasswordPolicy = Strong, Trails = [new("eu-west-1", [trail]), new("eu-west-2", [trail])] }));
        Assert.Equal((WatchChecks.TrailWithoutValidation, Severity.Low, trail.Arn), (finding.Id, finding.Severity, finding.Resource));
        Assert.Contains("--enable-log-file-validation", finding.Fix, StringComparison.Ordinal);
    }
}
