using Cloudkeep.Services.Route53;
using Cloudkeep.Services.Route53.Dns;

namespace Cloudkeep.Server.Dns;

/// <summary>
/// The public zones the DNS listener answers from, loaded once and kept until a Route 53 change on
/// this node bumps <see cref="Route53Context.Version"/> (so an upserted record is answered at once),
/// or until <see cref="MaxAge"/> passes, which bounds how long a change made through another node
/// sharing the PostgreSQL store takes to be seen here.
/// </summary>
internal sealed class DnsZoneCache(Route53Context context) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private Snapshot? _snapshot;

    private sealed record Snapshot(PublicZones Zones, long Version, DateTimeOffset LoadedAt);

    public async ValueTask<PublicZones> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (IsFresh(snapshot))
        {
            return snapshot!.Zones;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (IsFresh(snapshot))
            {
                return snapshot!.Zones;
            }

            // Read the version first: a change landing during the load leaves the snapshot stale, never wrongly fresh.
            var version = context.Version;
            var zones = await PublicZones.LoadAsync(context.Repository, cancellationToken);
            _snapshot = new Snapshot(zones, version, context.Now);
            return zones;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    private bool IsFresh(Snapshot? snapshot) =>
        snapshot is not null && snapshot.Version == context.Version && context.Now - snapshot.LoadedAt < MaxAge;
}
