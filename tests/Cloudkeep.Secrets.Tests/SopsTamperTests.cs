using System.Text.RegularExpressions;

namespace Cloudkeep.Secrets.Tests;

/// <summary>A file changed outside sops is refused with sops's exit status, and no plaintext is written.</summary>
public sealed partial class SopsTamperTests
{
    private const string Plain = "user: admin\npassword: hunter2\nnote_unencrypted: public\n";

    [GeneratedRegex(@"password: ENC\[AES256_GCM,data:([^,]+),")]
    private static partial Regex PasswordData();

    [GeneratedRegex(@"mac: ENC\[AES256_GCM,data:([^,]+),")]
    private static partial Regex MacData();

    [GeneratedRegex(@"lastmodified: ""([^""]+)""")]
    private static partial Regex LastModified();

    public static TheoryData<string, int> Tampering() => new()
    {
        { "value", SopsExitCodes.ErrorDecryptingTree },
        { "mac", SopsExitCodes.ErrorDecryptingMac },
        { "lastmodified", SopsExitCodes.ErrorDecryptingMac },
        { "unencrypted", SopsExitCodes.MacMismatch },
        { "swapped", SopsExitCodes.ErrorDecryptingTree },
        { "removed", SopsExitCodes.MacMismatch },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Decrypt_TamperedFile_IsRefusedWithoutPlaintext(string change, int expectedExit)
    {
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("t.yaml", Plain);
        var lines = encrypted.Split('\n');
        var tampered = change switch
        {
            "value" => PasswordData().Replace(encrypted, m => m.Value.Replace(m.Groups[1].Value, Flip(m.Groups[1].Value), StringComparison.Ordinal), 1),
            "mac" => MacData().Replace(encrypted, m => m.Value.Replace(m.Groups[1].Value, Flip(m.Groups[1].Value), StringComparison.Ordinal), 1),
            "lastmodified" => LastModified().Replace(encrypted, "lastmodified: \"2001-01-01T00:00:00Z\"", 1),
            "unencrypted" => encrypted.Replace("note_unencrypted: public", "note_unencrypted: changed", StringComparison.Ordinal),
            "swapped" => string.Join('\n', [lines[1].Replace("password:", "user:", StringComparison.Ordinal), lines[0].Replace("user:", "password:", StringComparison.Ordinal), .. lines[2..]]),
            "removed" => string.Join('\n', lines.Where(l => !l.StartsWith("password:", StringComparison.Ordinal))),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        Assert.NotEqual(encrypted, tampered);
        File.WriteAllText(harness.Path("t.yaml"), tampered);

        var (exit, output, _) = await harness.DecryptAsync(harness.Path("t.yaml"));
        Assert.Equal(expectedExit, exit);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Decrypt_MacOnlyEncryptedFileWithChangedUnencryptedValue_IsAccepted()
    {
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("m.yaml", Plain, adjust: a => a with { MacOnlyEncrypted = true });
        Assert.Contains("    mac_only_encrypted: true\n", encrypted, StringComparison.Ordinal);
        File.WriteAllText(harness.Path("m.yaml"), encrypted.Replace("note_unencrypted: public", "note_unencrypted: changed", StringComparison.Ordinal));
        var (exit, output, error) = await harness.DecryptAsync(harness.Path("m.yaml"));
        Assert.True(exit == 0, error);
        Assert.Contains("note_unencrypted: changed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_MacOnlyEncryptedFileWithAValueRemoved_IsRefused()
    {
        using var harness = new SecretsHarness();
        var encrypted = await harness.EncryptFileAsync("m.yaml", Plain, adjust: a => a with { MacOnlyEncrypted = true });
        File.WriteAllText(harness.Path("m.yaml"), string.Join('\n', encrypted.Split('\n').Where(l => !l.StartsWith("password:", StringComparison.Ordinal))));
        var (exit, output, _) = await harness.DecryptAsync(harness.Path("m.yaml"));
        Assert.Equal(SopsExitCodes.MacMismatch, exit);
        Assert.Empty(output);
    }

    private static string Flip(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[0] ^= 0x01;
        return Convert.ToBase64String(bytes);
    }
}
