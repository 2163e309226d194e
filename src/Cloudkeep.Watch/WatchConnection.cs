using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;

namespace Cloudkeep.Watch;

/// <summary>The clients of one account's credentials: IAM, Organizations and CloudTrail (Cloudkeep.Client), S3 and KMS per region (the AWS SDK).</summary>
internal sealed class WatchConnection : IDisposable
{
    private readonly AWSCredentials _credentials;
    private readonly string? _endpoint;
    private readonly CaBundle? _caBundle;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly Dictionary<string, AmazonS3Client> _s3 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AmazonKeyManagementServiceClient> _kms = new(StringComparer.Ordinal);

    public WatchConnection(AWSCredentials credentials, string? endpoint, string region, TimeProvider time, CaBundle? caBundle)
    {
        _credentials = credentials;
        _endpoint = endpoint;
        _caBundle = caBundle;
        _time = time;
        Region = region;
        _http = caBundle is null ? new HttpClient() : new HttpClient(caBundle.Handler(), disposeHandler: true);
        Iam = new IamClient(_http, new Uri(endpoint ?? "https://iam.amazonaws.com/"), credentials, time);
        Organizations = new OrganizationsClient(_http, new Uri(endpoint ?? "https://organizations.us-east-1.amazonaws.com/"), credentials, time);
    }

    public string Region { get; }

    public IamClient Iam { get; }

    public OrganizationsClient Organizations { get; }

    /// <summary>CloudTrail is regional: each call signs for its region, at the region's endpoint unless one endpoint serves all.</summary>
    public CloudTrailClient CloudTrail(string region) =>
        new(_http, new Uri(_endpoint ?? $"https://cloudtrail.{region}.amazonaws.com/"), _credentials, _time);

    public AmazonS3Client S3(string region)
    {
        if (!_s3.TryGetValue(region, out var client))
        {
            _s3[region] = client = new AmazonS3Client(_credentials, Point(new AmazonS3Config { ForcePathStyle = _endpoint is not null }, region));
        }

        return client;
    }

    public AmazonKeyManagementServiceClient Kms(string region)
    {
        if (!_kms.TryGetValue(region, out var client))
        {
            _kms[region] = client = new AmazonKeyManagementServiceClient(_credentials, Point(new AmazonKeyManagementServiceConfig(), region));
        }

        return client;
    }

    /// <summary>The account of the credentials (STS GetCallerIdentity).</summary>
    public async Task<string> AccountIdAsync(CancellationToken cancellationToken)
    {
        using var sts = new AmazonSecurityTokenServiceClient(_credentials, Point(new AmazonSecurityTokenServiceConfig(), Region));
        return (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).Account;
    }

    /// <summary>A connection into another account through a role there (the audit role every account of the organization has).</summary>
    public async Task<WatchConnection> AssumeAsync(string accountId, string roleName, CancellationToken cancellationToken)
    {
        using var sts = new AmazonSecurityTokenServiceClient(_credentials, Point(new AmazonSecurityTokenServiceConfig(), Region));
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{accountId}:role/{roleName}",
            RoleSessionName = $"cloudkeep-watch-{_time.GetUtcNow().ToUnixTimeSeconds()}",
        }, cancellationToken);
        var c = assumed.Credentials;
        return new WatchConnection(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), _endpoint, Region, _time, _caBundle);
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
