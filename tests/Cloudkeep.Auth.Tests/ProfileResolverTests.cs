
namespace Cloudkeep.Auth.Tests;

/// <summary>Profile resolution by the AWS CLI's rules: precedence, chains, loops, and errors a person can act on.</summary>
public sealed class ProfileResolverTests
{
    private const string Keys = "aws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n";

    private static EnvironmentVariables Env(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Resolve_SeedProfile_AssumesRoleFromDefaultKeysWithMfa()
    {
        var profiles = ProfileSet.Parse(
            "[default]\nregion = eu-west-1\n[profile development-infrastructure]\nsource_profile = default\nmfa_serial = arn:aws:iam::398263320410:mfa/alice\nrole_arn = arn:aws:iam::381494870249:role/infrastructure\n",
            "[default]\n" + Keys);

        var resolved = ProfileResolver.Resolve(profiles, Env(("AWS_PROFILE", "development-infrastructure")), null);

        var role = Assert.IsType<AssumeRoleCredentialSource>(resolved.Source);
        Assert.Equal("arn:aws:iam::381494870249:role/infrastructure", role.RoleArn);
        Assert.Equal("arn:aws:iam::398263320410:mfa/alice", role.SerialNumber);
        Assert.Equal("AKIAEXAMPLE", Assert.IsType<StaticCredentialSource>(role.Source).AccessKeyId);
        Assert.Equal("development-infrastructure", resolved.Name);
        Assert.Equal("eu-west-1", resolved.Region);
    }

    [Fact]
    public void Resolve_ChainOfThreeRoles_NestsEachSource()
    {
        var profiles = ProfileSet.Parse(
            "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = b\nduration_seconds = 900\nexternal_id = x\nrole_session_name = me\n" +
            "[profile b]\nrole_arn = arn:aws:iam::222222222222:role/b\nsource_profile = c\n" +
            "[profile c]\nrole_arn = arn:aws:iam::333333333333:role/c\nsource_profile = base\n",
            "[base]\n" + Keys);

        var a = Assert.IsType<AssumeRoleCredentialSource>(ProfileResolver.Resolve(profiles, Env(), "a").Source);

        Assert.Equal((900, "x", "me"), (a.DurationSeconds!.Value, a.ExternalId, a.RoleSessionName));
        var b = Assert.IsType<AssumeRoleCredentialSource>(a.Source);
        var c = Assert.IsType<AssumeRoleCredentialSource>(b.Source);
        Assert.Equal("arn:aws:iam::333333333333:role/c", c.RoleArn);
        Assert.IsType<StaticCredentialSource>(c.Source);
    }

    [Theory]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n", "a -> b -> a")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n", "a -> a")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n[profile c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = b\n", "a -> b -> c -> b")]
    public void Resolve_SourceProfileLoop_IsAnErrorShowingTheChain(string config, string chain)
    {
        var error = Assert.Throws<AuthException>(() => ProfileResolver.Resolve(ProfileSet.Parse(config, null), Env(), "a"));

        Assert.Contains($"form a loop: {chain}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ProfileNamingItselfWithKeys_UsesItsOwnKeys()
    {
        var profiles = ProfileSet.Parse("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n", "[a]\n" + Keys);

        var role = Assert.IsType<AssumeRoleCredentialSource>(ProfileResolver.Resolve(profiles, Env(), "a").Source);

        Assert.Equal("a", Assert.IsType<StaticCredentialSource>(role.Source).Profile);
    }

    [Fact]
    public void Resolve_SourceProfileWithKeysAndRole_UsesItsKeys()
    {
        var profiles = ProfileSet.Parse("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n", "[b]\n" + Keys);

        var role = Assert.IsType<AssumeRoleCredentialSource>(ProfileResolver.Resolve(profiles, Env(), "a").Source);

        Assert.IsType<StaticCredentialSource>(role.Source);
    }

    [Fact]
    public void Resolve_CredentialSourceEnvironment_AssumesWithTheEnvironmentsKeys()
    {
        var profiles = ProfileSet.Parse("[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\ncredential_source = Environment\n", null);
        var environment = Env(("AWS_ACCESS_KEY_ID", "AKIAENV"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_SESSION_TOKEN", "t"));

        var role = Assert.IsType<AssumeRoleCredentialSource>(ProfileResolver.Resolve(profiles, environment, "ci").Source);

        var keys = Assert.IsType<EnvironmentCredentialSource>(role.Source);
        Assert.Equal(("AKIAENV", "t"), (keys.AccessKeyId, keys.SessionToken));
    }

    [Fact]
    public void Resolve_EnvironmentKeys_WinOverAwsProfile_ButNotOverExplicitProfile()
    {
        var profiles = ProfileSet.Parse("[profile p]\nregion = eu-west-2\n", "[p]\n" + Keys);
        var environment = Env(("AWS_ACCESS_KEY_ID", "AKIAENV"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_PROFILE", "p"));

        var implicitProfile = ProfileResolver.Resolve(profiles, environment, null);
        var explicitProfile = ProfileResolver.Resolve(profiles, environment, "p");

        Assert.Null(implicitProfile.Name);
        Assert.Equal("AKIAENV", Assert.IsType<EnvironmentCredentialSource>(implicitProfile.Source).AccessKeyId);
        Assert.Equal("eu-west-2", implicitProfile.Region);
        Assert.Equal("AKIAEXAMPLE", Assert.IsType<StaticCredentialSource>(explicitProfile.Source).AccessKeyId);
    }

    [Theory]
    [InlineData("AWS_REGION", "us-west-2", "us-west-2")]
    [InlineData("AWS_DEFAULT_REGION", "ap-south-1", "ap-south-1")]
    [InlineData("UNRELATED", "x", "eu-west-1")]
    public void Resolve_Region_EnvironmentBeforeProfileBeforeSourceProfile(string variable, string value, string expected)
    {
        var profiles = ProfileSet.Parse("[default]\nregion = eu-west-1\n[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n", "[default]\n" + Keys);

        Assert.Equal(expected, ProfileResolver.Resolve(profiles, Env((variable, value)), "r").Region);
    }

    [Fact]
    public void Resolve_AwsRegion_WinsOverAwsDefaultRegion()
    {
        var profiles = ProfileSet.Parse(null, "[default]\n" + Keys);

        Assert.Equal("us-west-2", ProfileResolver.Resolve(profiles, Env(("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "eu-west-1")), null).Region);
    }

    [Fact]
    public void Resolve_StsEndpoint_ServiceSpecificBeforeGlobal()
    {
        var profiles = ProfileSet.Parse("[default]\nendpoint_url = http://global:4566\nservices = local\n[services local]\nsts =\n  endpoint_url = http://sts:4566\n", "[default]\n" + Keys);

        var fromConfig = ProfileResolver.Resolve(profiles, Env(), null);
        var fromEnvironment = ProfileResolver.Resolve(profiles, Env(("AWS_ENDPOINT_URL_STS", "http://env-sts:1")), null);

        Assert.Equal(("http://sts:4566", "http://global:4566"), (fromConfig.StsEndpoint, fromConfig.EndpointUrl));
        Assert.Equal("http://env-sts:1", fromEnvironment.StsEndpoint);
    }

    [Fact]
    public void Resolve_MfaSerialWithoutRole_UsesGetSessionToken()
    {
        var profiles = ProfileSet.Parse("[default]\nmfa_serial = arn:aws:iam::1:mfa/alice\n", "[default]\n" + Keys);

        var session = Assert.IsType<SessionTokenCredentialSource>(ProfileResolver.Resolve(profiles, Env(), null, durationSeconds: 3600).Source);

        Assert.Equal(("arn:aws:iam::1:mfa/alice", 3600), (session.SerialNumber, session.DurationSeconds!.Value));
    }

    [Fact]
    public void Resolve_CredentialsFilePaths_FollowTheEnvironment()
    {
        using var directory = new Cloudkeep.Testing.TempDirectory();
        var config = Path.Combine(directory.Path, "my-config");
        var credentials = Path.Combine(directory.Path, "my-credentials");
        File.WriteAllText(config, "[profile elsewhere]\nregion = eu-north-1\n");
        File.WriteAllText(credentials, "[elsewhere]\n" + Keys);

        var profiles = ProfileSet.Load(Env(("AWS_CONFIG_FILE", config), ("AWS_SHARED_CREDENTIALS_FILE", credentials), ("HOME", "/nonexistent")));
        var resolved = ProfileResolver.Resolve(profiles, Env(), "elsewhere");

        Assert.Equal("eu-north-1", resolved.Region);
        Assert.IsType<StaticCredentialSource>(resolved.Source);
    }

    [Theory]
    [InlineData("[profile a]\nregion = eu-west-1\n", "a", "the profile \"a\" has no credentials")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\n", "a", "has role_arn but neither source_profile nor credential_source")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = missing\n", "a", "the source_profile \"missing\" of the profile \"a\" does not exist. Known profiles: a.")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nregion = x\n", "a", "the profile \"b\" has no credentials")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Environment\n", "a", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Environment\nsource_profile = a\n", "a", "both source_profile and credential_source")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Magic\n", "a", "is not valid")]
    [InlineData("[profile a]\naws_access_key_id = AKIA\n", "a", "has aws_access_key_id but no aws_secret_access_key")]
    [InlineData("[profile a]\nsso_session = corp\n", "a", "uses sso_session, which cloudkeep auth does not support")]
    [InlineData("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\nduration_seconds = 1h\n[profile b]\naws_access_key_id = A\naws_secret_access_key = s\n", "a", "duration_seconds \"1h\"")]
    [InlineData("[profile a]\n", "b", "the profile \"b\" could not be found in config or credentials. Known profiles: a.")]
    [InlineData("", "default", "no [default] profile")]
    public void Resolve_BadConfiguration_ExplainsWhatIsMissing(string config, string profile, string message)
    {
        var explicitProfile = profile == "default" ? null : profile;

        var error = Assert.Throws<AuthException>(() => ProfileResolver.Resolve(ProfileSet.Parse(config, null), Env(), explicitProfile));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
