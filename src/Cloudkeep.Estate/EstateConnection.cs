using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// The clients an estate run talks through, all from one set of credentials: the SDK for STS, KMS
/// and S3, our own query client for IAM. AWS_ENDPOINT_URL (or --endpoint-url) points them all at
/// one endpoint, such as Cloudkeep; without it they go to AWS.
/// </summary>
public sealed class EstateConnection : IDisposable
{
    private readonly AWSCredentials _credentials;
    private readonly string? _endpoint;
    private readonly string _region;
    private readonly HttpClient _http;
    private readonly CaBundle? _caBundle;
    private readonly Dictionary<string, AmazonS3Client> _s3 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AmazonKeyManagementServiceClient> _kms = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private string? _accountId;
    private string? _callerArn;

    public EstateConnection(AWSCredentials credentials, string? endpoint, string? region, TimeProvider time, CaBundle? caBundle = null)
    {
        _caBundle = caBundle;
        _http = caBundle is null ? new HttpClient() : new HttpClient(caBundle.Handler(), disposeHandler: true);
        _credentials = credentials;
        _endpoint = endpoint;
        _region = region ?? "us-east-1";
        _time = time;
        Iam = new IamClient(_http, new Uri(endpoint ?? "https://iam.amazonaws.com/"), credentials, time);
        Organizations = new OrganizationsClient(_http, new Uri(endpoint ?? "https://organizations.us-east-1.amazonaws.com/"), credentials, time);
        Kms = KmsIn(_region);
        Route53 = new Route53Client(_http, new Uri(endpoint ?? "https://route53.amazonaws.com/"), credentials, time);
    }

    /// <summary>Route 53, a global service signed in us-east-1.</summary>
    public Route53Client Route53 { get; }

    public IamClient Iam { get; }

    public OrganizationsClient Organizations { get; }

    public AmazonKeyManagementServiceClient Kms { get; }

    /// <summary>CloudTrail is regional: each call signs for its region, at the region's endpoint unless one endpoint serves all.</summary>
    public CloudTrailClient CloudTrail(string region) =>
        new(_http, new Uri(_endpoint ?? $"https://cloudtrail.{region}.amazonaws.com/"), _credentials, _time);

    /// <summary>SNS is regional: a topic lives in one region, and its calls sign for it.</summary>
    public SnsClient Sns(string region) =>
        new(_http, new Uri(_endpoint ?? $"https://sns.{region}.amazonaws.com/"), _credentials, _time);

    /// <summary>AWS Budgets, a global service AWS serves from us-east-1.</summary>
    public BudgetsClient Budgets => new(_http, new Uri(_endpoint ?? "https://budgets.amazonaws.com/"), _credentials, _time);

    /// <summary>CloudWatch is regional: an alarm lives in one region (billing alarms in us-east-1, where AWS/Billing is published).</summary>
    public CloudWatchClient CloudWatch(string region) =>
        new(_http, new Uri(_endpoint ?? $"https://monitoring.{region}.amazonaws.com/"), _credentials, _time);

    /// <summary>Credentials from --profile (the SDK's shared-config reader) or else the SDK's default chain.</summary>
    public static AWSCredentials Credentials(string? profile)
    {
        if (string.IsNullOrEmpty(profile))
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }

        return new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials)
            ? credentials
            : throw new EstateException($"AWS profile '{profile}' not found");
    }

    public AmazonS3Client S3(string region)
    {
        if (!_s3.TryGetValue(region, out var client))
        {
            var config = Point(new AmazonS3Config { ForcePathStyle = _endpoint is not null }, region);
            client = new AmazonS3Client(_credentials, config);
            _s3[region] = client;
        }

        return client;
    }

    /// <summary>KMS in one region: keys are regional, and one alias may name a key in each region.</summary>
    public AmazonKeyManagementServiceClient KmsIn(string region)
    {
        if (!_kms.TryGetValue(region, out var client))
        {
            client = new AmazonKeyManagementServiceClient(_credentials, Point(new AmazonKeyManagementServiceConfig(), region));
            _kms[region] = client;
        }

        return client;
    }

    public string DefaultRegion => _region;

    /// <summary>The clock the connection was made with, for everything planned or applied through it.</summary>
    public TimeProvider Time => _time;

    /// <summary>The account the credentials belong to: the management account of the estate.</summary>
    public async Task<string> AccountIdAsync(CancellationToken cancellationToken)
    {
        if (_accountId is null)
        {
            await IdentifyAsync(cancellationToken);
        }

        return _accountId!;
    }

    /// <summary>The ARN of the identity the credentials belong to (a user, or a role's session).</summary>
    public async Task<string> CallerArnAsync(CancellationToken cancellationToken)
    {
        if (_callerArn is null)
        {
            await IdentifyAsync(cancellationToken);
        }

        return _callerArn!;
    }

    private async Task IdentifyAsync(CancellationToken cancellationToken)
    {
        using var sts = new AmazonSecurityTokenServiceClient(_credentials, Point(new AmazonSecurityTokenServiceConfig(), _region));
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
        _accountId = identity.Account;
        _callerArn = identity.Arn;
    }

    /// <summary>
    /// A connection into a member account, through the role Organizations creates in every new
    /// account (OrganizationAccountAccessRole), assumed with these credentials.
    /// </summary>
    public async Task<EstateConnection> ForAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        using var sts = new AmazonSecurityTokenServiceClient(_credentials, Point(new AmazonSecurityTokenServiceConfig(), _region));
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{accountId}:role/OrganizationAccountAccessRole",
            RoleSessionName = $"cloudkeep-estate-{_time.GetUtcNow().ToUnixTimeSeconds()}",
        }, cancellationToken);
        var c = assumed.Credentials;
        return new EstateConnection(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), _endpoint, _region, _time, _caBundle) { _accountId = accountId };
    }

    public void Dispose()
    {
        foreach (var client in _s3.Values)
        {
            client.Dispose();
        }

        foreach (var client in _kms.Values)
        {
            client.Dispose();
        }
        _http.Dispose();
    }

    private T Point<T>(T config, string region)
        where T : ClientConfig
    {
        config.MaxErrorRetry = 1;
        if (_caBundle is not null)
        {
            config.HttpClientFactory = _caBundle.SdkFactory();
        }

        if (_endpoint is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = _endpoint;
            config.AuthenticationRegion = region;
        }

        return config;
    }
}
