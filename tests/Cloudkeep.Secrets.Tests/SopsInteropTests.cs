using System.Text.Json;
using System.Text.RegularExpressions;
using Cloudkeep.Secrets.Keys;
using Cloudkeep.Testing;

namespace Cloudkeep.Secrets.Tests;

/// <summary>
/// Files written by cloudkeep secrets read by tools that share no code with it: the reference age
/// implementation (Debian's age) and GnuPG recover the data key from the age and PGP entries, and an
/// independent Python reading of the sops format (Interop/sops_check.py, checked against sops's own
/// fixtures first) decrypts every value and verifies the MAC. That is everything sops itself does to
/// decrypt a file, so sops given the same keys decrypts ours.
/// </summary>
public sealed class SopsInteropTests
{
    private static readonly string Checker = Path.Combine(AppContext.BaseDirectory, "Interop", "sops_check.py");

    [Theory]
    [InlineData("format.enc.json", "{\"foo\": \"bar\"}")]
    [InlineData("format.enc.env", "{\"foo \": \" bar\"}")]
    public async Task IndependentChecker_OnSopsOwnFiles_DecryptsAndVerifiesTheMac(string fixture, string expected)
    {
        using var gpg = await GpgHome.CreateAsync();
        var text = File.ReadAllText(SecretsHarness.Fixture(fixture));
        var enc = fixture.EndsWith(".env", StringComparison.Ordinal)
            ? Regex.Match(text, "^sops_pgp__list_0__map_enc=(.*)$", RegexOptions.Multiline).Groups[1].Value.Replace("\\n", "\n", StringComparison.Ordinal)
            : JsonDocument.Parse(text).RootElement.GetProperty("sops").GetProperty("pgp")[0].GetProperty("enc").GetString()!;
        var dataKey = await gpg.DecryptAsync(enc);
        var result = await ProcessRunner.RunAsync("python3", [Checker, SecretsHarness.Fixture(fixture), Convert.ToHexString(dataKey)]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(expected, result.StandardOutput.Trim());
    }

    [Fact]
    public async Task CloudkeepJson_ReadByAgeGpgAndTheIndependentChecker_DecryptsAndVerifiesTheMac()
    {
        using var harness = new SecretsHarness();
        const string plain = "{\n\t\"db\": {\n\t\t\"user\": \"admin\",\n\t\t\"port\": 5432,\n\t\t\"tls\": true\n\t},\n\t\"hosts\": [\n\t\t\"a\",\n\t\t\"b\"\n\t],\n\t\"note_unencrypted\": \"public\",\n\t\"empty\": \"\"\n}\n";
        var encrypted = await harness.EncryptFileAsync("c.json", plain, pgp: SecretsHarness.PgpFingerprint);
        var sops = JsonDocument.Parse(encrypted).RootElement.GetProperty("sops");

        var fromAge = await AgeDecryptAsync(harness, sops.GetProperty("age")[0].GetProperty("enc").GetString()!);
        using var gpg = await GpgHome.CreateAsync();
        var fromGpg = await gpg.DecryptAsync(sops.GetProperty("pgp")[0].GetProperty("enc").GetString()!);
        Assert.Equal(32, fromAge.Length);
        Assert.Equal(fromAge, fromGpg);

        var result = await ProcessRunner.RunAsync("python3", [Checker, harness.Path("c.json"), Convert.ToHexString(fromAge)]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("{\"db\": {\"user\": \"admin\", \"port\": 5432.0, \"tls\": true}, \"hosts\": [\"a\", \"b\"], \"note_unencrypted\": \"public\", \"empty\": \"\"}", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task CloudkeepDotenv_ReadByAgeAndTheIndependentChecker_DecryptsAndVerifiesTheMac()
    {
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("c.env", "TOKEN=abc\nMULTI=x\\ny\n");
        var enc = Regex.Match(encrypted, "^sops_age__list_0__map_enc=(.*)$", RegexOptions.Multiline).Groups[1].Value.Replace("\\n", "\n", StringComparison.Ordinal);
        var dataKey = await AgeDecryptAsync(harness, enc);
        var result = await ProcessRunner.RunAsync("python3", [Checker, harness.Path("c.env"), Convert.ToHexString(dataKey)]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("{\"TOKEN\": \"abc\", \"MULTI\": \"x\\ny\"}", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task CloudkeepFile_AfterValueTampering_IsRejectedByTheIndependentChecker()
    {
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("t.json", "{\n\t\"a\": \"one\",\n\t\"b_unencrypted\": \"two\"\n}\n");
        File.WriteAllText(harness.Path("t.json"), encrypted.Replace("\"two\"", "\"three\"", StringComparison.Ordinal));
        var dataKey = await AgeDecryptAsync(harness, JsonDocument.Parse(encrypted).RootElement.GetProperty("sops").GetProperty("age")[0].GetProperty("enc").GetString()!);
        var result = await ProcessRunner.RunAsync("python3", [Checker, harness.Path("t.json"), Convert.ToHexString(dataKey)]);
        Assert.Equal(51, result.ExitCode);
    }

    [Fact]
    public async Task AgeFileMadeByTheReferenceTool_DecryptsWithOurAgeReader()
    {
        using var harness = new SecretsHarness();
        var made = await ProcessRunner.RunAsync("age", ["--encrypt", "--armor", "--recipient", SecretsHarness.AgeRecipient], standardInput: "a data key stand-in");
        Assert.True(made.ExitCode == 0, made.StandardError);
        var identity = File.ReadAllLines(SecretsHarness.Fixture("sops-age-keys.txt")).First(l => l.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal));
        var plain = AgeCrypto.Decrypt(made.StandardOutput, [AgeCrypto.ParseIdentity(identity)]);
        Assert.Equal("a data key stand-in"u8.ToArray(), plain);
    }

    [Fact]
    public async Task PgpWithoutKeyringFiles_UsesTheGpgBinaryToEncryptAndDecrypt()
    {
        using var gpg = await GpgHome.CreateAsync();
        using var harness = new SecretsHarness(new Dictionary<string, string> { ["GNUPGHOME"] = gpg.Directory, ["SOPS_AGE_KEY_FILE"] = "/nonexistent" }, withPgpKeyring: false);
        var encrypted = await harness.EncryptFileAsync("g.yaml", "secret: value\n", age: null, pgp: SecretsHarness.PgpFingerprint);
        Assert.Contains("fp: " + SecretsHarness.PgpFingerprint, encrypted, StringComparison.Ordinal);
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("g.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal("secret: value\n", output);
    }

    private static async Task<byte[]> AgeDecryptAsync(SecretsHarness harness, string armored)
    {
        var output = harness.Path($"age-{Guid.NewGuid():N}.key");
        var result = await ProcessRunner.RunAsync("age", ["--decrypt", "--identity", SecretsHarness.Fixture("sops-age-keys.txt"), "--output", output], standardInput: armored);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return File.ReadAllBytes(output);
    }

    /// <summary>A throwaway GnuPG home with sops's test keys imported; its agent is stopped on dispose.</summary>
    private sealed class GpgHome : IDisposable
    {
        private readonly TempDirectory _directory = new("ck-gpg-");

        public string Directory => _directory.Path;

        private string Home => _directory.Path;

        public static async Task<GpgHome> CreateAsync()
        {
            var home = new GpgHome();
            var imported = await ProcessRunner.RunAsync("gpg", ["--homedir", home.Home, "--batch", "--import", SecretsHarness.Fixture("sops_functional_tests_key.asc")]);
            Assert.True(imported.ExitCode == 0, imported.StandardError);
            return home;
        }

        public async Task<byte[]> DecryptAsync(string armored)
        {
            var output = Path.Combine(Home, $"key-{Guid.NewGuid():N}");
            var result = await ProcessRunner.RunAsync("gpg", ["--homedir", Home, "--batch", "--quiet", "--output", output, "--decrypt"], standardInput: armored);
            Assert.True(result.ExitCode == 0, result.StandardError);
            return File.ReadAllBytes(output);
        }

        public void Dispose()
        {
            ProcessRunner.RunAsync("gpgconf", ["--homedir", Home, "--kill", "gpg-agent"]).GetAwaiter().GetResult();
            _directory.Dispose();
        }
    }
}
