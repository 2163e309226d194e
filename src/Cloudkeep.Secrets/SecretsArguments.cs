namespace Cloudkeep.Secrets;

/// <summary>What the secrets verbs take from the command line; each verb reads the fields it needs.</summary>
public sealed record SecretsArguments
{
    public required string File { get; init; }

    public bool InPlace { get; init; }

    public string? Output { get; init; }

    public string? Kms { get; init; }

    public string? Pgp { get; init; }

    public string? Age { get; init; }

    public string? EncryptionContext { get; init; }

    public string? AwsProfile { get; init; }

    public string? InputType { get; init; }

    public string? OutputType { get; init; }

    public string? UnencryptedSuffix { get; init; }

    public string? EncryptedSuffix { get; init; }

    public string? UnencryptedRegex { get; init; }

    public string? EncryptedRegex { get; init; }

    public bool MacOnlyEncrypted { get; init; }

    public string? ConfigPath { get; init; }

    public bool IgnoreMac { get; init; }

    public string? AddKms { get; init; }

    public string? RemoveKms { get; init; }

    public string? AddPgp { get; init; }

    public string? RemovePgp { get; init; }

    public string? AddAge { get; init; }

    public string? RemoveAge { get; init; }

    public bool Yes { get; init; }
}
