
namespace Cloudkeep.Secrets.Tests;

/// <summary>
/// The format comes from the file's extension unless --input-type names it, as in sops. When the content is in
/// another format, the error says which format was assumed, from what, and how to name the right one.
/// </summary>
public sealed class SopsFormatChoiceTests
{
    private const string Plain = "user: admin\npassword: hunter2\n";

    public static TheoryData<string, string?, string[], string[]> Mismatches() => new()
    {
        // file name, --input-type, the error says, the error does not say
        {
            "secrets", null,
            ["not valid JSON", "secrets was read as binary, whose encrypted form is JSON, because of its file name (no .yaml, .yml, .json or .env extension)", "--input-type yaml"],
            []
        },
        { "secrets.json", null, ["not valid JSON", "secrets.json was read as JSON because of its file name (the .json extension)", "--input-type yaml"], [] },
        { "secrets.env", null, ["invalid dotenv input line", "secrets.env was read as dotenv because of its file name (the .env extension)", "--input-type yaml"], [] },
        { "secrets", "json", ["not valid JSON", "secrets was read as JSON as --input-type json says"], ["file name"] },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task Decrypt_YamlUnderAnotherFormat_ErrorSaysWhichFormatWasAssumedAndWhy(string name, string? inputType, string[] says, string[] doesNotSay)
    {
        using var harness = new SecretsHarness();
        var path = harness.Write(name, await harness.EncryptFileAsync("source.yaml", Plain));

        var (exit, output, error) = await harness.RunAsync(r => r.DecryptAsync(new SecretsArguments { File = path, InputType = inputType }, CancellationToken.None));

        Assert.Equal(SopsExitCodes.ErrorGeneric, exit);
        Assert.Empty(output);
        Assert.All(says, s => Assert.Contains(s, error, StringComparison.Ordinal));
        Assert.All(doesNotSay, s => Assert.DoesNotContain(s, error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decrypt_YamlWithoutExtensionAndInputTypeYaml_GivesThePlainFile()
    {
        using var harness = new SecretsHarness();
        var path = harness.Write("secrets", await harness.EncryptFileAsync("source.yaml", Plain));

        var (exit, output, error) = await harness.RunAsync(r => r.DecryptAsync(new SecretsArguments { File = path, InputType = "yaml" }, CancellationToken.None));

        Assert.True(exit == 0, error);
        Assert.Equal(Plain, output);
    }

    [Fact]
    public async Task Encrypt_PlainYamlNamedJson_ErrorSaysTheFormatCameFromTheFileName()
    {
        using var harness = new SecretsHarness();
        var path = harness.Write("plain.json", Plain);

        var (exit, _, error) = await harness.EncryptAsync(new SecretsArguments { File = path, Age = SecretsHarness.AgeRecipient });

        Assert.Equal(SopsExitCodes.ErrorGeneric, exit);
        Assert.Contains("plain.json was read as JSON because of its file name (the .json extension)", error, StringComparison.Ordinal);
        Assert.Contains("--input-type yaml", error, StringComparison.Ordinal);
    }
}
