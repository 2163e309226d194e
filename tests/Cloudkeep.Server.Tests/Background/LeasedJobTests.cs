using Cloudkeep.Server.Background;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Cloudkeep.Server.Tests.Background;

/// <summary>A job's lease on a fake clock: renewed while a pass runs, lapsing after it or when its node dies.</summary>
public sealed class LeasedJobTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private IMetadataStore _store = null!;
    private LeaseRepository _leases = null!;

    public async Task InitializeAsync()
    {
        _store = MetadataStoreFactory.Create(null, _data.Path);
        await _store.MigrateAsync(_clock, CancellationToken.None);
        _leases = new LeaseRepository(_store);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Lease_WhileAPassRuns_IsRenewed_AndLapsesWithinItsLengthAfterThePass()
    {
        using var running = new CancellationTokenSource();
        var leader = new ProbeJob(_leases, _clock);
        var other = new ProbeJob(_leases, _clock);
        Assert.True(await leader.LeadAsync(running.Token));

        // A pass four lease lengths long: renewed all along, so no other node starts one.
        for (var second = 0; second < 4 * LeasedJob.LeaseLength.TotalSeconds; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            // Real time for the renewal's write to land before the clock moves on.
            await Task.Delay(20);
            Assert.False(await other.LeadAsync(CancellationToken.None));
        }

        Assert.True(await UntilAsync() > _clock.GetUtcNow().ToUnixTimeMilliseconds());

        await leader.PassEndedAsync();
        _clock.Advance(LeasedJob.LeaseLength + TimeSpan.FromSeconds(1));
        Assert.True(await other.LeadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Leader_DiesMidPass_AnotherNodeLeadsOnceTheLeaseLengthHasPassed()
    {
        using var leaderLives = new CancellationTokenSource();
        var leader = new ProbeJob(_leases, _clock);
        var other = new ProbeJob(_leases, _clock);
        Assert.True(await leader.LeadAsync(leaderLives.Token));

        // The node stops without giving the lease up (its process is gone): nothing renews it any more.
        await leaderLives.CancelAsync();
        _clock.Advance(LeasedJob.LeaseLength - TimeSpan.FromSeconds(1));
        Assert.False(await other.LeadAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await other.LeadAsync(CancellationToken.None));
    }

    private async Task<long> UntilAsync()
    {
        await using var connection = await _store.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT until_ms FROM leases WHERE name = 'probe'");
    }

    private sealed class ProbeJob(LeaseRepository leases, TimeProvider time) : LeasedJob(leases, time)
    {
        protected override string LeaseName => "probe";

        public Task<bool> LeadAsync(CancellationToken cancellationToken) => TryLeadAsync(Time.GetUtcNow(), cancellationToken);

        public Task PassEndedAsync() => StopRenewingAsync();

        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }
}
