using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;
using Cloudkeep.Estate;
using Cloudkeep.Secrets;
using Cloudkeep.Secrets.Keys;
using Cloudkeep.Testing;

namespace Cloudkeep.Backup.Tests;

/// <summary>
/// One server (TLS: the estate's buckets deny plain http) with the example estate applied as an operator would,
/// an OpenPGP backup key made by gpg (its private key SOPS-encrypted to an age key), and the CI role's credentials.
/// Shared by the backup tests, which run one at a time (the clock is shifted by one of them).
/// </summary>
public sealed class BackupEstate : IAsyncLifetime
{
    public const string Bucket = "digitalmarketplace-database-backups";
    public const string Region = "eu-west-1";
    public const string Passphrase = "correct horse battery staple";

    /// <summary>The age key of sops's own test suite (its public half: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw).</summary>
    private const string AgeIdentity = "AGE-SECRET-KEY-1NJT5YCS2LWU4V4QAJQ6R4JNU7LXPDX602DZ9NUFANVU5GDTGUWCQ5T59M6";
    private const string AgeRecipient = "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw";

    private readonly TempDirectory _directory = new("cloudkeep-backup-test-");

    public ShiftableClock Clock { get; } = new();

    public TestServer Server { get; private set; } = null!;

    /// <summary>The main account's CI role (jenkins), assumed as the CI server would.</summary>
    public AWSCredentials CiRole { get; private set; } = null!;

    /// <summary>An administrator of the main account (not allowed into the backups bucket by its policy).</summary>
    public AWSCredentials Administrator { get; private set; } = null!;

    public string GnupgHome => Path.Combine(_directory.Path, "gnupg");

    public string PublicKeyFile => Path.Combine(_directory.Path, "backup-key.asc");

    /// <summary>The SOPS file holding private_key and passphrase.</summary>
    public string PrivateKeyFile => Path.Combine(_directory.Path, "backup-key.sops.yaml");

    public SecretsEnvironment Secrets { get; } = new() { GetVariable = name => name == "SOPS_AGE_KEY" ? AgeIdentity : null };

    public string Work => _directory.Path;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(tls: true, time: Clock);
        Administrator = await CreateAdministratorAsync();
        await ApplyExampleEstateAsync();
        CiRole = await AssumeCiRoleAsync();
        await CreateBackupKeyAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Dispose();
    }

    public BackupConnection Connection(AWSCredentials credentials) => new(credentials, Server.Endpoint, Region, Server.CaFile);

    public AmazonS3Client S3(AWSCredentials credentials) => Connection(credentials).S3();

    public (BackupRunner Runner, StringWriter Output, StringWriter Error) Runner(AWSCredentials? credentials = null, TimeProvider? time = null, params IBackupAlertSink[] alerts)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        return (new BackupRunner(Connection(credentials ?? CiRole), output, error, time ?? Clock, Secrets, alerts), output, error);
    }

    public Task<ProcessRunner.Result> GpgAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("gpg", ["--batch", "--homedir", GnupgHome, .. arguments], timeout: TimeSpan.FromSeconds(60));

    private async Task<AWSCredentials> CreateAdministratorAsync()
    {
        using var http = Http();
        var iam = new IamClient(http, new Uri(Server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        await iam.CallAsync("CreateUser", [new("UserName", "backup-admin")], CancellationToken.None);
        await iam.CallAsync("AttachUserPolicy", [new("UserName", "backup-admin"), new("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")], CancellationToken.None);
        var key = await iam.CallAsync("CreateAccessKey", [new("UserName", "backup-admin")], CancellationToken.None);
        return new BasicAWSCredentials(IamClient.Descendant(key, "AccessKeyId"), IamClient.Descendant(key, "SecretAccessKey"));
    }

    private async Task ApplyExampleEstateAsync()
    {
        var example = Path.Combine(RepositoryRoot(), "examples", "digital-marketplace");
        var target = Path.Combine(_directory.Path, "estate");
        Directory.CreateDirectory(Path.Combine(target, "policies"));
        foreach (var policy in Directory.GetFiles(Path.Combine(example, "policies")))
        {
            File.Copy(policy, Path.Combine(target, "policies", Path.GetFileName(policy)));
        }

        var file = Path.Combine(target, "estate.yaml");
        File.Copy(Path.Combine(example, "estate.yaml"), file);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var runner = new EstateRunner(output, error, TextReader.Null, false, _ => Administrator,
            name => name switch { "AWS_ENDPOINT_URL" => Server.Endpoint, "AWS_CA_BUNDLE" => Server.CaFile, _ => null }, TimeProvider.System);
        var exit = await runner.ApplyAsync(new EstateArguments(file, null, null, "eu-west-2", AutoApprove: true), CancellationToken.None);
        Assert.True(exit == 0, output.ToString() + error);
    }

    /// <summary>
    /// The CI role trusts ec2.amazonaws.com (an instance profile in the seed); here the test stands in for the CI
    /// server's instance by adding the main account to the trust policy and assuming the role.
    /// </summary>
    private async Task<AWSCredentials> AssumeCiRoleAsync()
    {
        using var http = Http();
        var iam = new IamClient(http, new Uri(Server.Endpoint), Administrator, TimeProvider.System);
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com","AWS":"arn:aws:iam::{{Server.AccountId}}:root"},"Action":"sts:AssumeRole"}]}""";
        await iam.CallAsync("UpdateAssumeRolePolicy", [new("RoleName", "jenkins"), new("PolicyDocument", trust)], CancellationToken.None);
        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = Server.Endpoint, AuthenticationRegion = "us-east-1" };
        CaBundle.Apply(config, Server.CaFile);
        using var sts = new AmazonSecurityTokenServiceClient(Administrator, config);
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{Server.AccountId}:role/jenkins", RoleSessionName = "nightly-backup", DurationSeconds = 3600 });
        var c = assumed.Credentials;
        return new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
    }

    /// <summary>A gpg key (ed25519 primary, cv25519 encryption subkey: gpg's defaults) with a passphrase; its secret half SOPS-encrypted.</summary>
    private async Task CreateBackupKeyAsync()
    {
        Directory.CreateDirectory(GnupgHome);
        File.SetUnixFileMode(GnupgHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var made = await GpgAsync("--pinentry-mode", "loopback", "--passphrase", Passphrase, "--quick-gen-key", "Backups <backups@digitalmarketplace.example>", "default", "default", "never");
        Assert.True(made.ExitCode == 0, made.StandardError);
        var exported = await GpgAsync("--armor", "--output", PublicKeyFile, "--export", "backups@digitalmarketplace.example");
        Assert.True(exported.ExitCode == 0, exported.StandardError);
        var secret = await GpgAsync("--armor", "--pinentry-mode", "loopback", "--passphrase", Passphrase, "--export-secret-keys", "backups@digitalmarketplace.example");
        Assert.True(secret.ExitCode == 0, secret.StandardError);
        var plain = Path.Combine(_directory.Path, "backup-key.yaml");
        File.WriteAllText(plain, "private_key: |\n" + string.Concat(secret.StandardOutput.TrimEnd('\n').Split('\n').Select(l => "    " + l + "\n")) + $"passphrase: {Passphrase}\n");
        using var encrypted = new MemoryStream();
        var runner = new SecretsRunner(Secrets, TimeProvider.System, encrypted, TextReader.Null, TextWriter.Null, _directory.Path);
        await runner.EncryptAsync(new SecretsArguments { File = plain, Age = AgeRecipient }, CancellationToken.None);
        File.WriteAllBytes(PrivateKeyFile, encrypted.ToArray());
        File.Delete(plain);
    }

    private HttpClient Http() => CaBundle.From(Server.CaFile) is { } bundle ? new HttpClient(bundle.Handler(), disposeHandler: true) : new HttpClient();

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

[CollectionDefinition(Name)]
public sealed class BackupEstateTests : ICollectionFixture<BackupEstate>
{
    public const string Name = "backup estate";
}
