using System.Text.RegularExpressions;

namespace Cloudkeep.Secrets.Tests;

/// <summary>encrypt then decrypt gives the file back, in every format, with the values' types and the encryption rules kept.</summary>
public sealed class SopsRoundTripTests
{
    private const string Yaml = """
        # database settings
        db:
            user: admin
            password: "hunter2: not really"
            port: 5432
            ratio: 0.25
            enabled: true
            empty: ""
            nothing: null
        hosts:
            - a.example
            - b.example
        certificate: |
            -----BEGIN CERTIFICATE-----
            MIIB
            -----END CERTIFICATE-----
        public_unencrypted: visible
        quoted: "123"

        """;

    [Fact]
    public async Task EncryptThenDecrypt_Yaml_GivesTheSameDocumentBack()
    {
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("secrets.yaml", Yaml.Replace("\n\n", "\n", StringComparison.Ordinal));
        Assert.Contains("#ENC[AES256_GCM,", encrypted, StringComparison.Ordinal);
        Assert.Matches(@"port: ENC\[AES256_GCM,data:[^,]+,iv:[A-Za-z0-9+/=]{44},tag:[A-Za-z0-9+/=]{24},type:int\]", encrypted);
        Assert.Contains("type:float]", encrypted, StringComparison.Ordinal);
        Assert.Contains("type:bool]", encrypted, StringComparison.Ordinal);
        Assert.Contains("empty: \"\"", encrypted, StringComparison.Ordinal);
        Assert.Contains("public_unencrypted: visible", encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", encrypted, StringComparison.Ordinal);
        Assert.Matches(@"\n    lastmodified: ""?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ""?\n", encrypted);
        Assert.Contains("    unencrypted_suffix: _unencrypted\n", encrypted, StringComparison.Ordinal);

        var (exit, output, error) = await harness.DecryptAsync(harness.Path("secrets.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal(Yaml.Replace("\n\n", "\n", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task EncryptThenDecrypt_Json_KeepsOrderAndTypes()
    {
        const string json = "{\n\t\"b\": \"two\",\n\t\"a\": 1,\n\t\"f\": 1.5,\n\t\"t\": false,\n\t\"list\": [\n\t\t{\n\t\t\t\"x\": \"y\"\n\t\t}\n\t],\n\t\"n\": null\n}\n";
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("secrets.json", json);
        Assert.Contains("\"sops\": {", encrypted, StringComparison.Ordinal);
        Assert.Matches("\"a\": \"ENC\\[AES256_GCM,[^\"]+,type:float\\]\"", encrypted);
        Assert.Contains("\"recipient\": \"" + SecretsHarness.AgeRecipient + "\"", encrypted, StringComparison.Ordinal);
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("secrets.json"));
        Assert.True(exit == 0, error);
        Assert.Equal(json, output);
    }

    [Fact]
    public async Task EncryptThenDecrypt_Dotenv_FlattensTheMetadataAsSopsDoes()
    {
        const string env = "# comment\nDATABASE_URL=postgres://u:p@h/db\nMULTI=line1\\nline2\nEMPTY=\n";
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("app.env", env);
        Assert.Matches(new Regex("^sops_age__list_0__map_enc=-----BEGIN AGE ENCRYPTED FILE-----\\\\n", RegexOptions.Multiline), encrypted);
        Assert.Contains("\nsops_age__list_0__map_recipient=" + SecretsHarness.AgeRecipient + "\n", encrypted, StringComparison.Ordinal);
        Assert.Contains("\nsops_unencrypted_suffix=_unencrypted\n", encrypted, StringComparison.Ordinal);
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("app.env"));
        Assert.True(exit == 0, error);
        Assert.Equal(env, output);
    }

    [Fact]
    public async Task EncryptThenDecrypt_Binary_GivesTheExactBytesBack()
    {
        using var harness = new SecretsHarness();
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).Concat("not utf-8: \xff"u8.ToArray()).ToArray();
        var path = harness.Path("blob.bin");
        File.WriteAllBytes(path, bytes);
        var (exit, _, error) = await harness.EncryptAsync(new SecretsArguments { File = path, InPlace = true, Age = SecretsHarness.AgeRecipient });
        Assert.True(exit == 0, error);
        Assert.StartsWith("{\n\t\"data\": \"ENC[AES256_GCM,", File.ReadAllText(path), StringComparison.Ordinal);
        var output = harness.Path("blob.out");
        (exit, _, error) = await harness.RunAsync(r => r.DecryptAsync(new SecretsArguments { File = path, Output = output }, CancellationToken.None));
        Assert.True(exit == 0, error);
        Assert.Equal(bytes, File.ReadAllBytes(output));
    }

    [Fact]
    public async Task Encrypt_WithEncryptedRegex_EncryptsOnlyMatchingKeysAndRecordsTheRule()
    {
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("k8s.yaml", "kind: Secret\ndata:\n    password: c2VjcmV0\n", adjust: a => a with { EncryptedRegex = "^(data|stringData)$" });
        Assert.Contains("kind: Secret\n", encrypted, StringComparison.Ordinal);
        Assert.Contains("    password: ENC[", encrypted, StringComparison.Ordinal);
        Assert.Contains("    encrypted_regex: ^(data|stringData)$\n", encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain("unencrypted_suffix", encrypted, StringComparison.Ordinal);
        var (exit, output, _) = await harness.DecryptAsync(harness.Path("k8s.yaml"));
        Assert.Equal(0, exit);
        Assert.Equal("kind: Secret\ndata:\n    password: c2VjcmV0\n", output);
    }

    [Fact]
    public async Task Encrypt_PgpAndAgeRecipients_EachAloneDecryptsTheFile()
    {
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("both.yaml", "secret: value\n", pgp: SecretsHarness.PgpFingerprint);
        Assert.Contains("-----BEGIN PGP MESSAGE-----", encrypted, StringComparison.Ordinal);
        Assert.Contains("fp: " + SecretsHarness.PgpFingerprint, encrypted, StringComparison.Ordinal);

        using var pgpOnly = new SecretsHarness(new Dictionary<string, string> { ["SOPS_AGE_KEY_FILE"] = "/nonexistent" });
        var (exit, output, error) = await pgpOnly.DecryptAsync(harness.Path("both.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal("secret: value\n", output);

        using var ageOnly = new SecretsHarness(withPgpKeyring: false);
        (exit, output, error) = await ageOnly.DecryptAsync(harness.Path("both.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal("secret: value\n", output);
    }

    [Fact]
    public async Task Encrypt_AnAlreadyEncryptedFile_IsRefused()
    {
        using var harness = new SecretsHarness();
        await harness.EncryptFileAsync("twice.yaml", "a: b\n");
        var (exit, _, _) = await harness.EncryptAsync(new SecretsArguments { File = harness.Path("twice.yaml"), Age = SecretsHarness.AgeRecipient });
        Assert.Equal(SopsExitCodes.FileAlreadyEncrypted, exit);
    }

    [Fact]
    public async Task Encrypt_WithoutAnyKey_FailsWithNoEncryptionKeyFound()
    {
        using var harness = new SecretsHarness();
        var path = harness.Write("nokey.yaml", "a: b\n");
        var (exit, _, _) = await harness.EncryptAsync(new SecretsArguments { File = path });
        Assert.Equal(SopsExitCodes.NoEncryptionKeyFound, exit);
    }

    [Fact]
    public async Task Encrypt_WithSopsYamlCreationRule_UsesTheRuleForTheMatchingPath()
    {
        using var harness = new SecretsHarness();
        harness.Write(".sops.yaml", $"creation_rules:\n    - path_regex: prod/.*\\.yaml$\n      pgp: {SecretsHarness.PgpFingerprint}\n      encrypted_regex: ^secret$\n    - age: {SecretsHarness.AgeRecipient}\n");
        Directory.CreateDirectory(harness.Path("prod"));
        var prod = harness.Write("prod/app.yaml", "name: app\nsecret: s3cr3t\n");
        var dev = harness.Write("dev.yaml", "name: app\n");
        Assert.Equal(0, (await harness.EncryptAsync(new SecretsArguments { File = prod, InPlace = true })).Exit);
        Assert.Equal(0, (await harness.EncryptAsync(new SecretsArguments { File = dev, InPlace = true })).Exit);

        var prodText = File.ReadAllText(prod);
        Assert.Contains("name: app\n", prodText, StringComparison.Ordinal);
        Assert.Contains("fp: " + SecretsHarness.PgpFingerprint, prodText, StringComparison.Ordinal);
        Assert.DoesNotContain("age:", prodText, StringComparison.Ordinal);
        var devText = File.ReadAllText(dev);
        Assert.Contains("recipient: " + SecretsHarness.AgeRecipient, devText, StringComparison.Ordinal);
        Assert.DoesNotContain("pgp:", devText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncryptThenDecrypt_YamlWithSeveralDocumentsAndListsOfMaps_GivesThemBack()
    {
        const string yaml = "kind: Secret\nitems:\n    - name: a\n      value: one\n    - name: b\n      value: two\n---\nkind: Other\nnested:\n    - - x\n      - y\n";
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("multi.yaml", yaml);
        Assert.Equal(2, encrypted.Split("\nsops:\n").Length - 1);
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("multi.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal(yaml, output);
    }

    [Fact]
    public async Task EncryptThenDecrypt_YamlCommentsAtTheHeadOfCollections_StayInsideThem()
    {
        const string yaml = "top: 1\nitems:\n    # a commented item\n    - real\n    # between\n    - other\nmap:\n    # first in map\n    k: v\n";
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("comments.yaml", yaml);
        Assert.StartsWith("top: ENC[", encrypted, StringComparison.Ordinal);
        Assert.Contains("items:\n    #ENC[AES256_GCM,", encrypted, StringComparison.Ordinal);
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("comments.yaml"));
        Assert.True(exit == 0, error);
        Assert.Equal(yaml, output);
    }

    [Fact]
    public async Task Encrypt_InvalidYaml_FailsWithAClearError()
    {
        using var harness = new SecretsHarness();
        var path = harness.Write("bad.yaml", "a: [unclosed\n");
        var (exit, _, error) = await harness.EncryptAsync(new SecretsArguments { File = path, Age = SecretsHarness.AgeRecipient });
        Assert.Equal(SopsExitCodes.ErrorGeneric, exit);
        Assert.Contains("not valid YAML", error, StringComparison.Ordinal);
    }
}
