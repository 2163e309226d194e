using Amazon.Runtime;

namespace Cloudkeep.Secrets.Keys;

/// <summary>
/// Where the key services find what they need: environment variables (read through a function so
/// tests can supply their own), the AWS profile given on the command line, explicit AWS
/// credentials (tests; the command line leaves them to the SDK's default chain), and PGP keyring files.
/// </summary>
public sealed record SecretsEnvironment
{
    public Func<string, string?> GetVariable { get; init; } = name => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>--aws-profile: used for KMS keys whose entry names no aws_profile.</summary>
    public string? AwsProfile { get; init; }

    public AWSCredentials? Credentials { get; init; }

    /// <summary>Armored or binary OpenPGP key files (CLOUDKEEP_PGP_KEYRING, colon-separated); without them the gpg binary is used, as sops does.</summary>
    public IReadOnlyList<string> PgpKeyringFiles { get; init; } = [];

    public static SecretsEnvironment FromProcess(string? awsProfile)
    {
        var keyring = Environment.GetEnvironmentVariable("CLOUDKEEP_PGP_KEYRING");
        return new SecretsEnvironment
        {
            AwsProfile = awsProfile,
            PgpKeyringFiles = string.IsNullOrEmpty(keyring) ? [] : keyring.Split(':', StringSplitOptions.RemoveEmptyEntries),
        };
    }
}
