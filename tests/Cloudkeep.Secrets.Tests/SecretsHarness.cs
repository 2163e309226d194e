using System.Text;
using Amazon.Runtime;
using Cloudkeep.Secrets.Keys;
using Cloudkeep.Testing;

namespace Cloudkeep.Secrets.Tests;

/// <summary>
/// Runs the secrets verbs in-process with a private environment: its own variables (no HOME keys
/// leak in), the published sops test PGP key as keyring, and the published sops age identity.
/// </summary>
internal sealed class SecretsHarness : IDisposable
{
    public const string PgpFingerprint = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
    public const string AgeRecipient = "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw";

    private readonly TempDirectory _directory = new("cloudkeep-secrets-test-");

    public SecretsHarness(Dictionary<string, string>? variables = null, AWSCredentials? credentials = null, bool withPgpKeyring = true)
    {
        Variables = new Dictionary<string, string>
        {
            ["HOME"] = _directory.Path,
            ["SOPS_AGE_KEY_FILE"] = Fixture("sops-age-keys.txt"),
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        };
        foreach (var (key, value) in variables ?? [])
        {
            Variables[key] = value;
        }

        Credentials = credentials;
        WithPgpKeyring = withPgpKeyring;
    }

    public Dictionary<string, string> Variables { get; }

    public AWSCredentials? Credentials { get; set; }

    public bool WithPgpKeyring { get; }

    public string Directory => _directory.Path;

    public static string Fixture(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public string Path(string name) => System.IO.Path.Combine(_directory.Path, name);

    public string Write(string name, string content)
    {
        var path = Path(name);
        File.WriteAllText(path, content);
        return path;
    }

    public SecretsEnvironment CreateEnvironment() => new()
    {
        GetVariable = name => Variables.TryGetValue(name, out var value) ? value : null,
        Credentials = Credentials,
        PgpKeyringFiles = WithPgpKeyring ? [Fixture("sops_functional_tests_key.asc")] : [],
    };

    /// <summary>Runs one verb; returns its exit status (sops's on failure), stdout and the error text.</summary>
    public async Task<(int Exit, string Output, string Error)> RunAsync(Func<SecretsRunner, Task<int>> verb, string stdin = "")
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var runner = new SecretsRunner(CreateEnvironment(), TimeProvider.System, stdout, new StringReader(stdin), stderr, _directory.Path);
        int exit;
        try
        {
            exit = await verb(runner);
        }
        catch (SopsException e)
        {
            exit = e.ExitCode;
            stderr.Write(e.Message);
        }

        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    public Task<(int Exit, string Output, string Error)> DecryptAsync(string file, bool ignoreMac = false) =>
        RunAsync(r => r.DecryptAsync(new SecretsArguments { File = file, IgnoreMac = ignoreMac }, CancellationToken.None));

    public Task<(int Exit, string Output, string Error)> EncryptAsync(SecretsArguments args) =>
        RunAsync(r => r.EncryptAsync(args, CancellationToken.None));

    /// <summary>Encrypts a plain file in place and returns the encrypted text.</summary>
    public async Task<string> EncryptFileAsync(string name, string plain, string? age = AgeRecipient, string? pgp = null, string? kms = null, string? context = null, Func<SecretsArguments, SecretsArguments>? adjust = null)
    {
        var path = Write(name, plain);
        var args = new SecretsArguments { File = path, InPlace = true, Age = age, Pgp = pgp, Kms = kms, EncryptionContext = context };
        var (exit, _, error) = await EncryptAsync(adjust is null ? args : adjust(args));
        Assert.True(exit == 0, error);
        return File.ReadAllText(path);
    }

    public void Dispose() => _directory.Dispose();
}
