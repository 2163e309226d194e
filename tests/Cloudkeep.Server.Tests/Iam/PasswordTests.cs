namespace Cloudkeep.Server.Tests.Iam;

/// <summary>The seed's password policy (12 characters, an uppercase letter, a lowercase letter, a number) enforced everywhere a password is set.</summary>
public abstract class PasswordTests(ServerFixture fixture)
{
    private readonly Cli _root = Cli.Root(fixture.Server);

    [Fact]
    public async Task PasswordPolicy_EnforcedOnCreateUpdateAndChange()
    {
        Assert.Contains("NoSuchEntity", await _root.FailAsync("iam", "get-account-password-policy"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "update-account-password-policy", "--minimum-password-length", "12",
            "--require-uppercase-characters", "--require-lowercase-characters", "--require-numbers", "--allow-users-to-change-password");
        var policy = (await _root.RunAsync("iam", "get-account-password-policy")).GetProperty("PasswordPolicy");
        Assert.Equal(12, policy.GetProperty("MinimumPasswordLength").GetInt32());
        Assert.True(policy.GetProperty("RequireNumbers").GetBoolean());

        var user = await _root.CreateUserWithKeyAsync("paula");
        var weak = await _root.FailAsync("iam", "create-login-profile", "--user-name", "paula", "--password", "short1A");
        Assert.Contains("PasswordPolicyViolation", weak, StringComparison.Ordinal);
        Assert.Contains("NoSuchEntity", await _root.FailAsync("iam", "get-login-profile", "--user-name", "paula"), StringComparison.Ordinal);
        Assert.Contains("PasswordPolicyViolation", await _root.FailAsync("iam", "create-login-profile", "--user-name", "paula", "--password", "nouppercase123"), StringComparison.Ordinal);

        await _root.RunAsync("iam", "create-login-profile", "--user-name", "paula", "--password", "Correct-Horse-42", "--password-reset-required");
        var profile = (await _root.RunAsync("iam", "get-login-profile", "--user-name", "paula")).GetProperty("LoginProfile");
        Assert.True(profile.GetProperty("PasswordResetRequired").GetBoolean());
        Assert.Contains("EntityAlreadyExists", await _root.FailAsync("iam", "create-login-profile", "--user-name", "paula", "--password", "Correct-Horse-42"), StringComparison.Ordinal);

        await _root.RunAsync("iam", "attach-user-policy", "--user-name", "paula", "--policy-arn", "arn:aws:iam::aws:policy/IAMUserChangePassword");
        Assert.Contains("AccessDenied", await user.FailAsync("iam", "change-password", "--old-password", "Wrong-Horse-42", "--new-password", "Better-Horse-43"), StringComparison.Ordinal);
        Assert.Contains("PasswordPolicyViolation", await user.FailAsync("iam", "change-password", "--old-password", "Correct-Horse-42", "--new-password", "weak"), StringComparison.Ordinal);
        await user.RunAsync("iam", "change-password", "--old-password", "Correct-Horse-42", "--new-password", "Better-Horse-43");
        Assert.False((await _root.RunAsync("iam", "get-login-profile", "--user-name", "paula")).GetProperty("LoginProfile").GetProperty("PasswordResetRequired").GetBoolean());
        Assert.Contains("DeleteConflict", await _root.FailAsync("iam", "delete-user", "--user-name", "paula"), StringComparison.Ordinal);
        await _root.RunAsync("iam", "delete-login-profile", "--user-name", "paula");
        await _root.RunAsync("iam", "delete-account-password-policy");
    }
}

public sealed class PasswordTestsOnSqlite(ServerFixture fixture) : PasswordTests(fixture), IClassFixture<ServerFixture>;

public sealed class PasswordTestsOnPostgres(PostgresServerFixture fixture) : PasswordTests(fixture), IClassFixture<PostgresServerFixture>;
