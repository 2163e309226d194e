using System.Text.RegularExpressions;
using Cloudkeep.Testing;

namespace Cloudkeep.Secrets.Tests;

/// <summary>edit, rotate and updatekeys: what they change in the file, and what they leave alone.</summary>
public sealed partial class SecretsEditRotateTests
{
    private const string Plain = "user: admin\npassword: hunter2\n";

    [GeneratedRegex(@"^user: (ENC\[[^\]]+\])$", RegexOptions.Multiline)]
    private static partial Regex UserValue();

    [GeneratedRegex(@"^password: (ENC\[[^\]]+\])$", RegexOptions.Multiline)]
    private static partial Regex PasswordValue();

    [Fact]
    public async Task Edit_ExistingFile_EditsAPrivateCopyAndEncryptsTheChangeBack()
    {
        using var harness = new SecretsHarness();
        var before = await harness.EncryptFileAsync("e.yaml", Plain);
        var record = harness.Path("editor.log");
        harness.Variables["EDITOR"] = Editor(harness, $"stat -c '%a %n' \"$1\" > '{record}'\nsed -i 's/hunter2/changed/' \"$1\"\n");

        var (exit, _, error) = await harness.RunAsync(r => r.EditAsync(new SecretsArguments { File = harness.Path("e.yaml") }, CancellationToken.None));
        Assert.True(exit == 0, error);

        var (mode, copy) = (File.ReadAllText(record).Split(' ', 2)[0], File.ReadAllText(record).Split(' ', 2)[1].Trim());
        Assert.Equal("600", mode);
        Assert.False(File.Exists(copy));
        Assert.False(Directory.Exists(Path.GetDirectoryName(copy)));
        var after = File.ReadAllText(harness.Path("e.yaml"));
        Assert.Equal(UserValue().Match(before).Value, UserValue().Match(after).Value);
        Assert.NotEqual(PasswordValue().Match(before).Value, PasswordValue().Match(after).Value);
        var (decrypted, output, _) = await harness.DecryptAsync(harness.Path("e.yaml"));
        Assert.Equal(0, decrypted);
        Assert.Equal("user: admin\npassword: changed\n", output);
    }

    [Fact]
    public async Task Edit_WithoutChanges_ExitsWithFileHasNotBeenModifiedAndLeavesTheFile()
    {
        using var harness = new SecretsHarness();
        var before = await harness.EncryptFileAsync("e.yaml", Plain);
        harness.Variables["EDITOR"] = "true";
        var (exit, _, _) = await harness.RunAsync(r => r.EditAsync(new SecretsArguments { File = harness.Path("e.yaml") }, CancellationToken.None));
        Assert.Equal(SopsExitCodes.FileHasNotBeenModified, exit);
        Assert.Equal(before, File.ReadAllText(harness.Path("e.yaml")));
    }

    [Fact]
    public async Task Edit_WhenTheEditorFails_LeavesTheFileAndRemovesTheCopy()
    {
        using var harness = new SecretsHarness();
        var before = await harness.EncryptFileAsync("e.yaml", Plain);
        var record = harness.Path("editor.log");
        harness.Variables["EDITOR"] = Editor(harness, $"echo \"$1\" > '{record}'\necho 'password: leaked' > \"$1\"\nexit 3\n");
        var (exit, _, _) = await harness.RunAsync(r => r.EditAsync(new SecretsArguments { File = harness.Path("e.yaml") }, CancellationToken.None));
        Assert.Equal(SopsExitCodes.ErrorGeneric, exit);
        Assert.Equal(before, File.ReadAllText(harness.Path("e.yaml")));
        Assert.False(File.Exists(File.ReadAllText(record).Trim()));
    }

    [Fact]
    public async Task Edit_NewFile_IsCreatedEncryptedToTheGivenKeys()
    {
        using var harness = new SecretsHarness();
        harness.Variables["EDITOR"] = Editor(harness, "printf 'token: abc\\n' > \"$1\"\n");
        var path = harness.Path("new.yaml");
        var (exit, _, error) = await harness.RunAsync(r => r.EditAsync(new SecretsArguments { File = path, Age = SecretsHarness.AgeRecipient }, CancellationToken.None));
        Assert.True(exit == 0, error);
        Assert.Contains("token: ENC[AES256_GCM,", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal("token: abc\n", (await harness.DecryptAsync(path)).Output);
    }

    [Fact]
    public async Task Rotate_ReencryptsEveryValueUnderANewDataKey()
    {
        using var harness = new SecretsHarness();
        var before = await harness.EncryptFileAsync("r.yaml", Plain);
        var (exit, _, error) = await harness.RunAsync(r => r.RotateAsync(new SecretsArguments { File = harness.Path("r.yaml"), InPlace = true }, CancellationToken.None));
        Assert.True(exit == 0, error);
        var after = File.ReadAllText(harness.Path("r.yaml"));
        Assert.NotEqual(UserValue().Match(before).Value, UserValue().Match(after).Value);
        Assert.NotEqual(AgeEnc(before), AgeEnc(after));
        Assert.Equal(Plain, (await harness.DecryptAsync(harness.Path("r.yaml"))).Output);
    }

    [Fact]
    public async Task Rotate_AddPgpAndRemoveAge_SwapsTheMasterKeys()
    {
        using var harness = new SecretsHarness();
        await harness.EncryptFileAsync("r.yaml", Plain);
        var (exit, _, error) = await harness.RunAsync(r => r.RotateAsync(new SecretsArguments
        {
            File = harness.Path("r.yaml"),
            InPlace = true,
            AddPgp = SecretsHarness.PgpFingerprint,
            RemoveAge = SecretsHarness.AgeRecipient,
        }, CancellationToken.None));
        Assert.True(exit == 0, error);
        var after = File.ReadAllText(harness.Path("r.yaml"));
        Assert.Contains("fp: " + SecretsHarness.PgpFingerprint, after, StringComparison.Ordinal);
        Assert.DoesNotContain("age:", after, StringComparison.Ordinal);
        using var pgpOnly = new SecretsHarness(new Dictionary<string, string> { ["SOPS_AGE_KEY_FILE"] = "/nonexistent" });
        Assert.Equal(Plain, (await pgpOnly.DecryptAsync(harness.Path("r.yaml"))).Output);
    }

    [Fact]
    public async Task UpdateKeys_AddsTheCreationRuleKeysAndKeepsTheValues()
    {
        using var harness = new SecretsHarness();
        var before = await harness.EncryptFileAsync("u.yaml", Plain);
        harness.Write(".sops.yaml", $"creation_rules:\n    - age: {SecretsHarness.AgeRecipient}\n      pgp: {SecretsHarness.PgpFingerprint}\n");
        var (exit, _, error) = await harness.RunAsync(r => r.UpdateKeysAsync(new SecretsArguments { File = harness.Path("u.yaml"), Yes = true }, CancellationToken.None));
        Assert.True(exit == 0, error);
        Assert.Contains("+++ " + SecretsHarness.PgpFingerprint, error, StringComparison.Ordinal);

        var after = File.ReadAllText(harness.Path("u.yaml"));
        Assert.Equal(UserValue().Match(before).Value, UserValue().Match(after).Value);
        Assert.Equal(AgeEnc(before), AgeEnc(after));
        Assert.Contains("fp: " + SecretsHarness.PgpFingerprint, after, StringComparison.Ordinal);
        using var pgpOnly = new SecretsHarness(new Dictionary<string, string> { ["SOPS_AGE_KEY_FILE"] = "/nonexistent" });
        Assert.Equal(Plain, (await pgpOnly.DecryptAsync(harness.Path("u.yaml"))).Output);
    }

    [Fact]
    public async Task UpdateKeys_AnsweredNo_LeavesTheFile()
    {
        using var harness = new SecretsHarness();
        var before = await harness.EncryptFileAsync("u.yaml", Plain);
        harness.Write(".sops.yaml", $"creation_rules:\n    - pgp: {SecretsHarness.PgpFingerprint}\n");
        var (exit, _, error) = await harness.RunAsync(r => r.UpdateKeysAsync(new SecretsArguments { File = harness.Path("u.yaml") }, CancellationToken.None), stdin: "n\n");
        Assert.Equal(SopsExitCodes.ErrorGeneric, exit);
        Assert.Contains("--- " + SecretsHarness.AgeRecipient, error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(harness.Path("u.yaml")));
    }

    [Fact]
    public async Task CloudkeepBinary_DecryptingAFileWithAStaleMac_ExitsWithSopsMacMismatchStatus()
    {
        using var harness = new SecretsHarness();
        var result = await ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"), "secrets", "decrypt", SecretsHarness.Fixture("example.yaml")], new Dictionary<string, string?>
        {
            ["CLOUDKEEP_PGP_KEYRING"] = SecretsHarness.Fixture("sops_functional_tests_key.asc"),
            ["HOME"] = harness.Directory,
        });
        Assert.Equal(SopsExitCodes.MacMismatch, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        Assert.Contains("MAC mismatch", result.StandardError, StringComparison.Ordinal);
    }

    private static string Editor(SecretsHarness harness, string body)
    {
        var path = harness.Path($"editor-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, body);

        // $EDITOR may carry arguments, as "code --wait" does; this one is "sh SCRIPT".
        return $"sh '{path}'";
    }

    private static string AgeEnc(string file) => Regex.Match(file, "-----BEGIN AGE ENCRYPTED FILE-----[^-]+").Value;
}
