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

    private volatile DataEventSelection _dataEvents = DataEventSelection.None;

    /// <summary>
    /// Whether some logging trail selects this bucket's S3 data events: only then is an object-level
    /// request recorded at all ("data events are not logged by default", CloudTrail User Guide), so a
    /// GET costs nothing to record unless a trail asks for it. Refreshed on every trail change here and,
    /// for changes made by another node, by the record step every few seconds.
    /// </summary>
    public bool RecordsDataEvents(string? bucket) => _dataEvents.Selects(bucket);

    public async Task RefreshDataEventSelectionAsync(CancellationToken cancellationToken)
    {
        var all = false;
        var buckets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trail in (await Repository.TrailsAsync(cancellationToken)).Select(TrailState.FromRow).Where(t => t.Logging))
        {
            foreach (var resource in trail.EventSelectors.OfType<System.Text.Json.Nodes.JsonObject>().SelectMany(s => s.OptArray("DataResources").Objects()))
            {
                foreach (var value in resource.OptArray("Values").Strings())
                {
                    if (value is "arn:aws:s3" or "arn:aws:s3:::")
                    {
                        all = true;
                    }
                    else if (value.StartsWith("arn:aws:s3:::", StringComparison.Ordinal))
                    {
                        buckets.Add(value["arn:aws:s3:::".Length..].Split('/')[0]);
                    }
                }
            }
        }

        _dataEvents = new DataEventSelection(all, buckets);
    }

    private sealed record DataEventSelection(bool All, HashSet<string> Buckets)
    {
        public static readonly DataEventSelection None = new(false, []);

        public bool Selects(string? bucket) => All || (bucket is not null && Buckets.Contains(bucket));
    }

    /// <summary>How long one digest file covers: an hour, as in AWS (<c>serve --trail-digest-interval</c> shortens it for tests).</summary>
    public TimeSpan DigestPeriod { get; init; } = TimeSpan.FromHours(1);
}
