using Amazon.Runtime;
using Amazon.S3;
using Cloudkeep.Client;

namespace Cloudkeep.Backup;

/// <summary>
/// How the backup commands reach S3: the caller's credentials (the SDK's chain or a profile, as the other
/// commands resolve them), an optional endpoint (a Cloudkeep server; path-style), the region and AWS_CA_BUNDLE.
/// </summary>
public sealed record BackupConnection(AWSCredentials Credentials, string? Endpoint, string Region, string? CaBundlePath)
{
    public AmazonS3Client S3()
    {
        var config = new AmazonS3Config { MaxErrorRetry = 2 };
        if (Endpoint is not null)
        {
            config.ServiceURL = Endpoint;
            config.AuthenticationRegion = Region;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(Region);
        }

        CaBundle.Apply(config, CaBundlePath);
        return new AmazonS3Client(Credentials, config);
    }

    /// <summary>For the POST upload and webhooks: trusts AWS_CA_BUNDLE when one is set; no overall timeout (a dump takes as long as it takes).</summary>
    public HttpClient Http() =>
        new(CaBundle.From(CaBundlePath)?.Handler() ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
}
