namespace Cloudkeep.Watch.Tests;

public sealed class BaselineAndReportTests
{
    [Fact]
    public void CredentialReport_AwsCsv_RowsWithKeysAndDates()
    {
        const string Csv = """
            user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
            <root_account>,arn:aws:iam::1:root,2026-01-01T00:00:00+00:00,not_supported,2026-12-01T10:00:00+00:00,not_supported,not_supported,false,true,2026-02-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
            alice,arn:aws:iam::1:user/alice,2026-01-01T00:00:00+00:00,true,no_information,N/A,N/A,true,false,N/A,N/A,N/A,N/A,true,2026-03-01T00:00:00+00:00,2026-12-06T00:00:00+00:00,eu-west-1,s3,false,N/A,false,N/A

            """;
        var rows = CredentialReportCsv.Parse(Csv);

        Assert.Equal(2, rows.Count);
        Assert.True(rows[0].IsRoot);
        Assert.False(rows[0].PasswordEnabled);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), rows[0].PasswordLastUsed);
        Assert.Equal(new AccessKeyFact(1, true, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), null), Assert.Single(rows[0].Keys));
        Assert.True(rows[1].PasswordEnabled && rows[1].MfaActive);
        Assert.Null(rows[1].PasswordLastUsed);
        Assert.Equal(new AccessKeyFact(2, true, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)), Assert.Single(rows[1].Keys));
    }

    [Fact]
    public void Baseline_EstateFile_PasswordPoliciesAndReplicatedBucketsPerAccount()
    {
        const string Estate = """
            accounts:
              main:
                management: true
                passwordPolicy: {minimumPasswordLength: 14, requireUppercaseCharacters: true, requireSymbols: true, passwordReusePrevention: 5}
              production:
                buckets:
                  docs: {versioning: Enabled, replication: {role: replication, rules: []}}
                  logs: {versioning: Enabled}
            """;
        var baseline = WatchBaseline.Parse(new StringReader(Estate), "estate.yaml");

        var main = baseline.For("digitalmarketplace", isManagement: true);
        Assert.Equal(new PasswordPolicyFact(14, true, false, false, true, null, 5), main.PasswordPolicy);
        Assert.Equal("estate.yaml (account main)", main.Source);
        var production = baseline.For("production", isManagement: false);
        Assert.Equal(["docs"], production.ReplicatedBuckets);
        Assert.Equal(AccountBaseline.Default.PasswordPolicy, production.PasswordPolicy);
        Assert.Same(AccountBaseline.Default, baseline.For("elsewhere", isManagement: false));
    }

    [Fact]
    public void Baseline_NotAnEstate_Refused()
    {
        var e = Assert.Throws<WatchException>(() => WatchBaseline.Parse(new StringReader("hello: [1"), "x.yaml"));
        Assert.StartsWith("x.yaml: not YAML", e.Message, StringComparison.Ordinal);
        Assert.Throws<WatchException>(() => WatchBaseline.Parse(new StringReader("variables: {}"), "x.yaml"));
    }
}
