
namespace Cloudkeep.Secrets.Tests;

/// <summary>Files encrypted by sops itself (getsops/sops and Mic92/sops-nix fixtures, see Fixtures/SOURCES.md) decrypt with cloudkeep secrets.</summary>
public sealed class SopsFixtureTests
{
    [Theory]
    [InlineData("format.enc.yaml", "foo: bar\n")]
    [InlineData("format.enc.json", "{\n\t\"foo\": \"bar\"\n}\n")]
    [InlineData("format.enc.env", "foo = bar\n")]
    [InlineData("comments.enc.yaml", "# first comment in file\nlorem: ipsum\n# this-is-a-comment\ndolor: sit\n")]
    public async Task Decrypt_SopsPgpFixture_GivesThePlaintextAndChecksTheMac(string fixture, string expected)
    {
        using var harness = new SecretsHarness();
        var (exit, output, error) = await harness.DecryptAsync(SecretsHarness.Fixture(fixture));
        Assert.True(exit == 0, error);
        Assert.Equal(expected, output);
    }

    [Fact]
    public async Task Decrypt_SopsNixAgeFixture_GivesThePlaintext()
    {
        using var harness = new SecretsHarness(withPgpKeyring: false);
        var (exit, output, error) = await harness.DecryptAsync(SecretsHarness.Fixture("sops-nix-secrets.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal("test_key: test_value\na_list:\n    - e1\n    - e3\nnested:\n    test:\n        file: another value\n", output);
    }

    [Fact]
    public async Task Decrypt_SopsExampleYamlWithItsStaleMac_IsRefusedAsSopsRefusesIt()
    {
        // getsops/sops#1909: this revision of example.yaml was hand-edited after encryption, and sops
        // itself reports a MAC mismatch on it. Refusing it is the right answer.
        using var harness = new SecretsHarness();
        var (exit, output, error) = await harness.DecryptAsync(SecretsHarness.Fixture("example.yaml"));
        Assert.Equal(SopsExitCodes.MacMismatch, exit);
        Assert.Empty(output);
        Assert.Contains("MAC mismatch", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_SopsExampleYamlWithIgnoreMac_DecryptsValuesTypesAndComments()
    {
        using var harness = new SecretsHarness();
        var (exit, output, error) = await harness.DecryptAsync(SecretsHarness.Fixture("example.yaml"), ignoreMac: true);
        Assert.True(exit == 0, error);
        Assert.Contains("        user: eve\n        password: c4r1b0u\n        # private key for secret operations in app2\n", output, StringComparison.Ordinal);
        Assert.Contains("    key: |\n        -----BEGIN RSA PRIVATE KEY-----\n", output, StringComparison.Ordinal);
        Assert.Contains("number: 1234568000.0\n", output, StringComparison.Ordinal);
        Assert.Contains("somebooleans:\n    - true\n    - false\n", output, StringComparison.Ordinal);
        Assert.Contains("                # by adding the `_unencrypted` suffix\n", output, StringComparison.Ordinal);
        Assert.Contains("            all: going to remain in clear text\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_WithoutAnyMatchingKey_FailsWithCouldNotRetrieveKeyAndNoPlaintext()
    {
        using var harness = new SecretsHarness(new Dictionary<string, string> { ["SOPS_AGE_KEY_FILE"] = "/nonexistent" }, withPgpKeyring: false);
        var (exit, output, _) = await harness.DecryptAsync(SecretsHarness.Fixture("sops-nix-secrets.yaml"));
        Assert.Equal(SopsExitCodes.CouldNotRetrieveKey, exit);
        Assert.Empty(output);
    }
}
