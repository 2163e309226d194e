using Cloudkeep.Core.Crypto;
using Cloudkeep.Services.Organizations;
using Cloudkeep.Services.S3;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>What CloudTrail's operations and its delivery share: the event and trail store, S3 (trail buckets), the organization (organization trails), the clock.</summary>
public sealed class CloudTrailContext(CloudTrailRepository repository, S3Context s3, OrganizationContext organizations, SecretBox secrets, TimeProvider time)
{
    /// <summary>How far back LookupEvents sees, and how long events are kept for it.</summary>
    public static readonly TimeSpan EventHistory = TimeSpan.FromDays(90);

    /// <summary>AWS's quota: five trails per Region per account.</summary>
    public const int TrailsPerRegion = 5;

    public CloudTrailRepository Repository { get; } = repository;

    public S3Context S3 { get; } = s3;

    public OrganizationContext Organizations { get; } = organizations;

    public SecretBox Secrets { get; } = secrets;

    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>How long one digest file covers: an hour, as in AWS (<c>serve --trail-digest-interval</c> shortens it for tests).</summary>
    public TimeSpan DigestPeriod { get; init; } = TimeSpan.FromHours(1);
}
