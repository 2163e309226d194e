using System.Text.Json;
using System.Text.RegularExpressions;
using Cloudkeep.Testing;
using OtpNet;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// examples/digital-marketplace/README.md's walkthrough on a fresh server, every step run as the
/// README shows it: bash scripts whose lines are the README's, the real AWS CLI, the built
/// `cloudkeep` on PATH, and a HOME per person. The admin applies the estate and encrypts logins.enc;
/// alice takes her first password and access key, enrols a virtual MFA device with her own keys and
/// runs the seed's commands through `cloudkeep auth`; what her groups do not grant, and bob's, is
/// refused; erin, an admin, uses main's infrastructure role. The server's clock is real time plus an
/// offset that moves on a TOTP step before each code, so no code is ever a replay.
/// </summary>
public sealed class EstateWalkthroughTests : IAsyncLifetime
{
    /// <summary>With the server's root key (profile cloudkeep-root): an IAM administrator to run apply, since root cannot assume roles.</summary>
    internal const string MakeAdministrator = """
        export AWS_PROFILE=cloudkeep-root
        aws iam create-user --user-name estate-admin
        aws iam attach-user-policy --user-name estate-admin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
        aws iam create-access-key --user-name estate-admin --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text |
          while read -r id secret; do
            aws configure set aws_access_key_id "$id" --profile estate-admin
            aws configure set aws_secret_access_key "$secret" --profile estate-admin
          done
        """;

    internal const string Apply = """
        export AWS_PROFILE=estate-admin
        cloudkeep apply -f estate.yaml --var 'officeIps=[127.0.0.1/32]' --auto-approve
        """;

    internal const string FillPlaceholdersAndEncryptLogins = """
        export AWS_PROFILE=estate-admin
        MAIN=$(aws sts get-caller-identity --query Account --output text)
        DEVELOPMENT=$(aws organizations list-accounts --query "Accounts[?Name=='development'].Id" --output text)
        PRODUCTION=$(aws organizations list-accounts --query "Accounts[?Name=='production'].Id" --output text)
        sed -i "s/<main-account-id>/$MAIN/g; s/<development-account-id>/$DEVELOPMENT/g; s/<production-account-id>/$PRODUCTION/g" aws-config .sops.yaml
        cloudkeep secrets encrypt --input-type binary --output logins.enc logins.yaml
        """;

    internal const string Profiles = """
        mkdir -p ~/.aws
        sed "s/<IAM username>/alice/g" aws-config > ~/.aws/config
        aws configure set aws_access_key_id "$ACCESS_KEY_ID"
        aws configure set aws_secret_access_key "$SECRET_ACCESS_KEY"
        """;

    internal const string ChangePassword = """
        aws iam change-password --old-password "$INITIAL_PASSWORD" --new-password "$NEW_PASSWORD"
        """;

    internal const string CreateMfaDevice = """
        aws iam create-virtual-mfa-device --virtual-mfa-device-name alice --bootstrap-method Base32StringSeed --outfile ~/.aws/mfa-seed.txt
        """;

    internal const string EnableMfaDevice = """
        aws iam enable-mfa-device --user-name alice --serial-number "$(aws configure get mfa_serial --profile sops)" \
          --authentication-code1 "$CODE1" --authentication-code2 "$CODE2"
        """;

    internal const string DecryptLogins = "AWS_PROFILE=sops cloudkeep auth -- cloudkeep secrets decrypt logins.enc";

    internal const string DecryptLoginsWithoutAuth = "cloudkeep secrets decrypt logins.enc";

    internal const string DevelopmentInfrastructure = "AWS_PROFILE=development-infrastructure cloudkeep auth -- aws sts get-caller-identity";

    internal const string ProductionInfrastructure = "AWS_PROFILE=production-infrastructure cloudkeep auth -- aws sts get-caller-identity";

    internal const string MainInfrastructure = "AWS_PROFILE=main-infrastructure cloudkeep auth -- aws sts get-caller-identity";

    /// <summary>`cloudkeep auth` composes with plan: the estate seen through main's infrastructure role.</summary>
    internal const string PlanAsInfrastructure = "AWS_PROFILE=main-infrastructure cloudkeep auth -- cloudkeep plan -f estate.yaml --var 'officeIps=[127.0.0.1/32]'";

    /// <summary>As if eu-west-1 were down: its SOPS key disabled, then enabled again.</summary>
    internal const string DisableFirstSopsKey = """
        export AWS_PROFILE=estate-admin
        aws kms disable-key --region eu-west-1 --key-id "$(aws kms describe-key --region eu-west-1 --key-id alias/sops-credentials --query KeyMetadata.KeyId --output text)"
        """;

    internal const string EnableFirstSopsKey = """
        export AWS_PROFILE=estate-admin
        aws kms enable-key --region eu-west-1 --key-id "$(aws kms describe-key --region eu-west-1 --key-id alias/sops-credentials --query KeyMetadata.KeyId --output text)"
        """;

    internal const string ConsoleUrl = "AWS_PROFILE=production-infrastructure cloudkeep console-url";

    /// <summary>"Default credentials give you the permissions to use S3 development bucket": her own keys, over https.</summary>
    internal const string DevUploads = """
        echo "a draft for local development" > draft.txt
        aws s3 cp draft.txt s3://digitalmarketplace-dev-uploads/alice/draft.txt
        aws s3 ls s3://digitalmarketplace-dev-uploads/alice/
        """;

    /// <summary>Admins have no self-service policy in the seed (everything needs MFA), so the admin enrols their devices.</summary>
    internal const string CreateAdminsDevice = """
        export AWS_PROFILE=estate-admin
        aws iam create-virtual-mfa-device --virtual-mfa-device-name erin --bootstrap-method Base32StringSeed --outfile erin-mfa-seed.txt
        """;

    internal const string EnableAdminsDevice = """
        aws iam enable-mfa-device --user-name erin --serial-number "arn:aws:iam::$MAIN:mfa/erin" \
          --authentication-code1 "$CODE1" --authentication-code2 "$CODE2"
        """;

    private static readonly string Example = Path.Combine(RepositoryRoot(), "examples", "digital-marketplace");

    private readonly ShiftableClock _clock = new();
    private readonly TempDirectory _root = new("cloudkeep-walkthrough-");
    private TestServer _server = null!;
    private long _lastStep;

    private string Repository => Path.Combine(_root.Path, "digital-marketplace");

    private string AdminHome => Path.Combine(_root.Path, "home", "admin");

    private string Bin => Path.Combine(_root.Path, "bin");

    public async Task InitializeAsync()
    {
        // Over https, as the estate's TLS-only bucket policies require of every caller.
        _server = await TestServer.StartAsync(time: _clock, tls: true);

        // `cloudkeep` on PATH, as an installed one would be: the walkthrough runs it from scripts and
        // `cloudkeep auth` runs it again as the child.
        Directory.CreateDirectory(Bin);
        var wrapper = Path.Combine(Bin, "cloudkeep");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll")}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // The admin's checkout of the example (apply writes its secrets file next to estate.yaml).
        CopyDirectory(Example, Repository);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task Walkthrough_OnAFreshServer_EveryStepDoesWhatTheReadmeSays()
    {
        // The admin: an IAM administrator, the estate, the profiles' account ids, logins.enc.
        var admin = NewHome("admin");
        File.WriteAllText(Path.Combine(admin, ".aws", "credentials"),
            $"[cloudkeep-root]\naws_access_key_id = {TestServer.RootAccessKeyId}\naws_secret_access_key = {TestServer.RootSecretAccessKey}\n");
        await RunOkAsync(admin, MakeAdministrator);
        var apply = await RunOkAsync(admin, Apply);
        Assert.Contains("creating account backups ... done", apply.StandardOutput, StringComparison.Ordinal);
        await RunOkAsync(admin, FillPlaceholdersAndEncryptLogins);
        var accounts = await AccountsAsync(admin);
        var config = File.ReadAllText(Path.Combine(Repository, "aws-config"));
        Assert.DoesNotContain("-account-id>", config, StringComparison.Ordinal);
        Assert.Contains($"role_arn = arn:aws:iam::{accounts["development"]}:role/infrastructure", config, StringComparison.Ordinal);
        var logins = File.ReadAllText(Path.Combine(Repository, "logins.enc"));
        Assert.DoesNotContain("aws-backups@", logins, StringComparison.Ordinal);
        Assert.Contains($"\"arn\": \"arn:aws:kms:eu-west-1:{accounts["main"]}:alias/sops-credentials\"", logins, StringComparison.Ordinal);
        Assert.Contains($"\"arn\": \"arn:aws:kms:eu-west-2:{accounts["main"]}:alias/sops-credentials\"", logins, StringComparison.Ordinal);
        Assert.Contains($"\"role\": \"arn:aws:iam::{accounts["main"]}:role/sops-credentials-access\"", logins, StringComparison.Ordinal);

        // alice: her first password and access key, then profiles, password and MFA device.
        var secrets = File.ReadAllText(Path.Combine(Repository, "estate.yaml.secrets.yaml"));
        var alice = NewHome("alice");
        await RunOkAsync(alice, Profiles, variables: AccessKey(secrets, "alice"));
        var password = Secret(secrets, "alice", "initialPassword");
        Assert.DoesNotContain(password, apply.StandardOutput + apply.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret(secrets, "alice", "secretAccessKey"), apply.StandardOutput + apply.StandardError, StringComparison.Ordinal);
        var weak = await RunAsync(alice, ChangePassword, variables: new() { ["INITIAL_PASSWORD"] = password, ["NEW_PASSWORD"] = "short1A" });
        Assert.NotEqual(0, weak.ExitCode);
        Assert.Contains("PasswordPolicyViolation", weak.StandardError, StringComparison.Ordinal);
        await RunOkAsync(alice, ChangePassword, variables: new() { ["INITIAL_PASSWORD"] = password, ["NEW_PASSWORD"] = "Correct-horse-battery-1" });
        var aliceSeed = await EnrolAsync(alice, "alice");

        // The seed's commands, aws-auth replaced by cloudkeep auth: one MFA code per profile on stdin.
        var decrypted = await RunOkAsync(alice, DecryptLogins, NextCode(aliceSeed) + "\n");
        Assert.Equal(File.ReadAllText(Path.Combine(Example, "logins.yaml")), decrypted.StandardOutput);
        AssertIdentity(await RunOkAsync(alice, DevelopmentInfrastructure, NextCode(aliceSeed) + "\n"), accounts["development"], "infrastructure");

        // Again without a code (stdin empty, so asking would fail): the cached role session serves.
        AssertIdentity(await RunOkAsync(alice, DevelopmentInfrastructure), accounts["development"], "infrastructure");
        AssertIdentity(await RunOkAsync(alice, ProductionInfrastructure, NextCode(aliceSeed) + "\n"), accounts["production"], "infrastructure");

        // One region's key disabled: the other key of logins.enc still opens it (the sops session is cached).
        await RunOkAsync(admin, DisableFirstSopsKey);
        var state = await RunOkAsync(admin, "AWS_PROFILE=estate-admin aws kms describe-key --region eu-west-1 --key-id alias/sops-credentials --query KeyMetadata.KeyState --output text");
        Assert.Equal("Disabled", state.StandardOutput.Trim());
        var fromSecondKey = await RunOkAsync(alice, DecryptLogins);
        Assert.Equal(decrypted.StandardOutput, fromSecondKey.StandardOutput);
        await RunOkAsync(admin, EnableFirstSopsKey);

        var url = (await RunOkAsync(alice, ConsoleUrl)).StandardOutput.Trim();
        Assert.Equal($"{_server.Endpoint}/console/switchrole?account={accounts["production"]}&roleName=infrastructure&displayName=production-infrastructure", url);

        // Her default credentials reach the development account's uploads bucket, which allows main and only over TLS.
        Assert.Contains("draft.txt", (await RunOkAsync(alice, DevUploads)).StandardOutput, StringComparison.Ordinal);

        // What is refused: logins.enc without the role's MFA session, main's infrastructure role to a
        // developer (only Admins hold it, through Admin's "*" with MFA).
        var withoutAuth = await RunAsync(alice, DecryptLoginsWithoutAuth);
        Assert.Equal(128, withoutAuth.ExitCode);
        Assert.Contains($"failed to assume role arn:aws:iam::{accounts["main"]}:role/sops-credentials-access: AccessDenied", withoutAuth.StandardError, StringComparison.Ordinal);
        Assert.Empty(withoutAuth.StandardOutput);
        var notAnAdmin = await RunAsync(alice, MainInfrastructure, NextCode(aliceSeed) + "\n");
        Assert.Equal(255, notAnAdmin.ExitCode);
        Assert.Contains($"user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{accounts["main"]}:role/infrastructure", notAnAdmin.StandardError, StringComparison.Ordinal);

        // bob, in Developers only, enrols the same way and cannot reach development's infrastructure.
        var bob = NewHome("bob");
        await RunOkAsync(bob, ForPerson(Profiles, "bob"), variables: AccessKey(secrets, "bob"));
        var bobSeed = await EnrolAsync(bob, "bob");
        var bobDenied = await RunAsync(bob, DevelopmentInfrastructure, NextCode(bobSeed) + "\n");
        Assert.Equal(255, bobDenied.ExitCode);
        Assert.Contains($"user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{accounts["development"]}:role/infrastructure", bobDenied.StandardError, StringComparison.Ordinal);

        // erin, in Admins: the admin enrols her device; she switches to main's infrastructure role.
        await RunOkAsync(admin, CreateAdminsDevice);
        var erinSeed = File.ReadAllText(Path.Combine(Repository, "erin-mfa-seed.txt")).Trim();
        var codes = TwoCodes(erinSeed);
        codes["MAIN"] = accounts["main"];
        await RunOkAsync(admin, "export AWS_PROFILE=estate-admin\n" + EnableAdminsDevice, variables: codes);
        var erin = NewHome("erin");
        await RunOkAsync(erin, ForPerson(Profiles, "erin"), variables: AccessKey(secrets, "erin"));
        AssertIdentity(await RunOkAsync(erin, MainInfrastructure, NextCode(erinSeed) + "\n"), accounts["main"], "infrastructure");

        // Through the same (cached) role session, plan finds one difference: the administrator made by hand in step 1.
        var plan = await RunAsync(erin, PlanAsInfrastructure);
        Assert.True(plan.ExitCode == 2, plan.StandardOutput + plan.StandardError);
        Assert.Contains("- user main/estate-admin", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 0 to update, 1 to delete.", plan.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_Walkthrough_HasEveryCommandTheTestRuns()
    {
        var readme = File.ReadAllText(Path.Combine(Example, "README.md"));
        string[] steps = [MakeAdministrator, Apply, FillPlaceholdersAndEncryptLogins, Profiles, ChangePassword, CreateMfaDevice, EnableMfaDevice,
            DecryptLogins, DecryptLoginsWithoutAuth, DevelopmentInfrastructure, ProductionInfrastructure, MainInfrastructure, PlanAsInfrastructure, ConsoleUrl, DevUploads, DisableFirstSopsKey, EnableFirstSopsKey, CreateAdminsDevice, EnableAdminsDevice];
        foreach (var line in steps.SelectMany(s => s.Split('\n')).Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            Assert.Contains(line, readme, StringComparison.Ordinal);
        }
    }

    private static string ForPerson(string script, string person) => script.Replace("alice", person, StringComparison.Ordinal);

    /// <summary>The person creates a virtual MFA device with their own keys and enables it with two consecutive codes; returns its seed.</summary>
    private async Task<string> EnrolAsync(string home, string person)
    {
        await RunOkAsync(home, ForPerson(CreateMfaDevice, person));
        var seed = File.ReadAllText(Path.Combine(home, ".aws", "mfa-seed.txt")).Trim();
        await RunOkAsync(home, ForPerson(EnableMfaDevice, person), variables: TwoCodes(seed));
        return seed;
    }

    /// <summary>CODE1 and CODE2: consecutive codes, as an authenticator app shows them 30 seconds apart.</summary>
    private Dictionary<string, string> TwoCodes(string seed)
    {
        var step = NextStep();
        var totp = new Totp(Base32Encoding.ToBytes(seed));
        var at = DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime;
        _lastStep = step + 1;
        return new() { ["CODE1"] = totp.ComputeTotp(at), ["CODE2"] = totp.ComputeTotp(at.AddSeconds(30)) };
    }

    /// <summary>A step of the server's clock later than any code used so far, moving the clock there when needed.</summary>
    private long NextStep()
    {
        var step = _clock.GetUtcNow().ToUnixTimeSeconds() / 30;
        if (step <= _lastStep)
        {
            _clock.Offset += TimeSpan.FromSeconds((_lastStep - step + 1) * 30);
            step = _lastStep + 1;
        }

        _lastStep = step;
        return step;
    }

    private string NextCode(string seed) =>
        new Totp(Base32Encoding.ToBytes(seed)).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(NextStep() * 30).UtcDateTime);

    private static void AssertIdentity(ProcessRunner.Result result, string account, string role)
    {
        var identity = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal(account, identity.GetProperty("Account").GetString());
        Assert.StartsWith($"arn:aws:sts::{account}:assumed-role/{role}/cloudkeep-", identity.GetProperty("Arn").GetString(), StringComparison.Ordinal);
    }

    private static string Secret(string secrets, string user, string what)
    {
        var match = Regex.Match(secrets, $"user: {user},[^\n]* {what}: '((?:[^']|'')*)'");
        Assert.True(match.Success, $"no {what} for {user} in the secrets file");
        return match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
    }

    /// <summary>The access key apply made for the user (accessKey: true), as the admin hands it over.</summary>
    private static Dictionary<string, string> AccessKey(string secrets, string user) => new()
    {
        ["ACCESS_KEY_ID"] = Secret(secrets, user, "accessKeyId"),
        ["SECRET_ACCESS_KEY"] = Secret(secrets, user, "secretAccessKey"),
    };

    private async Task<Dictionary<string, string>> AccountsAsync(string admin)
    {
        var listed = await RunOkAsync(admin, "AWS_PROFILE=estate-admin aws organizations list-accounts --output json");
        var accounts = JsonDocument.Parse(listed.StandardOutput).RootElement.GetProperty("Accounts").EnumerateArray()
            .ToDictionary(a => a.GetProperty("Name").GetString()!, a => a.GetProperty("Id").GetString()!);
        accounts["main"] = _server.AccountId;
        return accounts;
    }

    private string NewHome(string person)
    {
        var home = Path.Combine(_root.Path, "home", person);
        Directory.CreateDirectory(Path.Combine(home, ".aws"));
        return home;
    }

    private async Task<ProcessRunner.Result> RunOkAsync(string home, string script, string? stdin = null, Dictionary<string, string>? variables = null)
    {
        var result = await RunAsync(home, script, stdin, variables);
        Assert.True(result.ExitCode == 0, $"{script}\nexited {result.ExitCode}: {result.StandardError}");
        return result;
    }

    /// <summary>
    /// Runs a script in the example's directory with the person's HOME, the server as AWS_ENDPOINT_URL
    /// and no terminal (so `cloudkeep auth` reads the MFA code from stdin).
    /// </summary>
    private Task<ProcessRunner.Result> RunAsync(string home, string script, string? stdin = null, Dictionary<string, string>? variables = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["AWS_ENDPOINT_URL"] = _server.Endpoint,
            ["AWS_CA_BUNDLE"] = _server.CaFile,
            // The admin's shell names the region (the AWS CLI v1 reads AWS_DEFAULT_REGION, cloudkeep
            // AWS_REGION); people take it from their ~/.aws/config.
            ["AWS_REGION"] = home == AdminHome ? "eu-west-1" : null,
            ["AWS_DEFAULT_REGION"] = home == AdminHome ? "eu-west-1" : null,
            ["AWS_PROFILE"] = null,
            ["AWS_DEFAULT_PROFILE"] = null,
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_SECURITY_TOKEN"] = null,
            ["AWS_CONFIG_FILE"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = null,
            ["AWS_PAGER"] = "",
            ["AWS_MAX_ATTEMPTS"] = "1",
        };
        foreach (var (name, value) in variables ?? [])
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync("setsid", ["bash", "-euo", "pipefail", "-c", $"cd '{Repository}'\n{script}"], environment, TimeSpan.FromMinutes(3), stdin ?? "");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }
}
