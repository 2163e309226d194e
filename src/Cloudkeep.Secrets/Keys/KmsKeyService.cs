using System.Text.RegularExpressions;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;

namespace Cloudkeep.Secrets.Keys;

/// <summary>
/// AWS KMS master keys through the AWS SDK for .NET (kms/keysource.go): the data key is KMS
/// Encrypt-ed under the key ARN with the entry's encryption context, and the base64 of the
/// CiphertextBlob is stored. The region comes from the ARN. When the entry names a role, it is
/// assumed first (session name sops@host) and KMS is called as that role. Credentials are the
/// entry's aws_profile, else --aws-profile, else the SDK's default chain; AWS_ENDPOINT_URL_KMS /
/// AWS_ENDPOINT_URL (and _STS) point the clients at another endpoint, such as Cloudkeep.
/// </summary>
internal sealed partial class KmsKeyService(SecretsEnvironment environment)
{
    [GeneratedRegex(@"^arn:aws[\w-]*:kms:(.+):[0-9]+:(key|alias)/.+$")]
    private static partial Regex KeyArn();

    [GeneratedRegex(@"[^\w+=,.@-]")]
    private static partial Regex SessionNameInvalid();

    public async Task EncryptAsync(KmsMasterKey key, byte[] dataKey, CancellationToken cancellationToken)
    {
        using var client = await CreateClientAsync(key, cancellationToken);
        var response = await client.EncryptAsync(new EncryptRequest
        {
            KeyId = key.Arn,
            Plaintext = new MemoryStream(dataKey),
            EncryptionContext = Context(key),
        }, cancellationToken);
        key.Enc = Convert.ToBase64String(response.CiphertextBlob.ToArray());
    }

    public async Task<byte[]> DecryptAsync(KmsMasterKey key, CancellationToken cancellationToken)
    {
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(key.Enc);
        }
        catch (FormatException e)
        {
            throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "the encrypted data key is not valid base64", e);
        }

        using var client = await CreateClientAsync(key, cancellationToken);
        var response = await client.DecryptAsync(new DecryptRequest
        {
            KeyId = key.Arn,
            CiphertextBlob = new MemoryStream(blob),
            EncryptionContext = Context(key),
        }, cancellationToken);
        return response.Plaintext.ToArray();
    }

    private static Dictionary<string, string>? Context(KmsMasterKey key) => key.Context is { Count: > 0 } context ? context.ToDictionary(p => p.Key, p => p.Value) : null;

    private async Task<AmazonKeyManagementServiceClient> CreateClientAsync(KmsMasterKey key, CancellationToken cancellationToken)
    {
        var match = KeyArn().Match(key.Arn);
        if (!match.Success)
        {
            throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"no valid KMS key ARN in '{key.Arn}'");
        }

        var region = match.Groups[1].Value;
        var credentials = BaseCredentials(key);
        if (!string.IsNullOrEmpty(key.Role))
        {
            credentials = await AssumeRoleAsync(key.Role, region, credentials, cancellationToken);
        }

        var config = new AmazonKeyManagementServiceConfig();
        Point(config, region, environment.GetVariable("AWS_ENDPOINT_URL_KMS") ?? environment.GetVariable("AWS_ENDPOINT_URL"));
        Trust(config);
        return credentials is null ? new AmazonKeyManagementServiceClient(config) : new AmazonKeyManagementServiceClient(credentials, config);
    }

    private AWSCredentials? BaseCredentials(KmsMasterKey key)
    {
        var profile = string.IsNullOrEmpty(key.AwsProfile) ? environment.AwsProfile : key.AwsProfile;
        if (!string.IsNullOrEmpty(profile))
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
                ? fromProfile
                : throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"AWS profile '{profile}' not found");
        }

        return environment.Credentials;
    }

    private async Task<AWSCredentials> AssumeRoleAsync(string role, string region, AWSCredentials? credentials, CancellationToken cancellationToken)
    {
        var config = new AmazonSecurityTokenServiceConfig();
        Point(config, region, environment.GetVariable("AWS_ENDPOINT_URL_STS") ?? environment.GetVariable("AWS_ENDPOINT_URL"));
        Trust(config);
        using var sts = credentials is null ? new AmazonSecurityTokenServiceClient(config) : new AmazonSecurityTokenServiceClient(credentials, config);
        try
        {
            var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role, RoleSessionName = SessionName() }, cancellationToken);
            var c = response.Credentials;
            return new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
        }
        catch (AmazonServiceException e)
        {
            throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"failed to assume role {role}: {e.ErrorCode}: {e.Message}", e);
        }
    }

    /// <summary>sops names the session "sops@" + the host name, cleaned to STS's allowed characters and 64 characters.</summary>
    private static string SessionName()
    {
        var name = "sops@" + SessionNameInvalid().Replace(Environment.MachineName, "");
        return name.Length > 64 ? name[..64] : name;
    }

    /// <summary>AWS_CA_BUNDLE, as sops's AWS SDK and the AWS CLI honour it.</summary>
    private void Trust(ClientConfig config)
    {
        try
        {
            CaBundle.Apply(config, environment.GetVariable("AWS_CA_BUNDLE"));
        }
        catch (InvalidOperationException e)
        {
            throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, e.Message, e);
        }
    }

    private static void Point(ClientConfig config, string region, string? endpoint)
    {
        config.MaxErrorRetry = 1;
        if (endpoint is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            return;
        }

        config.ServiceURL = endpoint;
        config.AuthenticationRegion = region;
    }
}
