using Cloudkeep.Server.Observability;
using Cloudkeep.Storage.Changes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.Background;

/// <summary>
/// Listens for the other nodes' changes (PostgreSQL only). Unlike the leased jobs it runs on every node:
/// each node's caches need to hear. Start waits (briefly) for the first LISTEN, so a node reports itself
/// ready only once another node's change can reach it.
/// </summary>
internal sealed partial class ChangeListenerJob(PostgresChangeListener listener, ChangeBus bus, ServerMetrics metrics, ILogger<ChangeListenerJob> logger) : BackgroundService
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        listener.ConnectionLost = exception =>
        {
            metrics.ChangeListening.Set(0);
            ListenLost(logger, exception);
        };
        listener.Reconnected = () => ListenResumed(logger);
        bus.Subscribe(change =>
        {
            metrics.ChangesHeard.Inc();
            if (change.Kind == ChangeKind.Everything)
            {
                metrics.CacheResyncs.Inc();
                metrics.ChangeListening.Set(1);
            }
        });
        await base.StartAsync(cancellationToken);
        // Not listening within the wait (the database is slow to answer): the node serves anyway, its caches
        // bounded by their lifetimes until the listener connects.
        await Task.WhenAny(listener.Listening, Task.Delay(StartWait, cancellationToken));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => listener.RunAsync(stoppingToken);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Lost the connection listening for other nodes' changes; reconnecting, then every cache is dropped")]
    private static partial void ListenLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Listening for other nodes' changes again; every cache was dropped")]
    private static partial void ListenResumed(ILogger logger);
}
