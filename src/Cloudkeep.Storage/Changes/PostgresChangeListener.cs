using Npgsql;

namespace Cloudkeep.Storage.Changes;

/// <summary>
/// One node's ear on the estate: a connection of its own that LISTENs on
/// <see cref="PostgresChangeTriggers.Channel"/> and publishes each notification on the node's
/// <see cref="ChangeBus"/>. When the connection is lost, notifications sent meanwhile are lost with it,
/// so after every (re)connection the node drops every cache (<see cref="ChangeBus.Everything"/>)
/// before it relies on notifications again; until then the caches' own lifetimes bound staleness.
/// </summary>
public sealed class PostgresChangeListener
{
    /// <summary>The listening connection's application_name, so operators (and tests) can find it in pg_stat_activity.</summary>
    public const string ApplicationName = "cloudkeep-listen";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly string _connectionString;
    private readonly ChangeBus _bus;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresChangeListener(string connectionString, ChangeBus bus)
    {
        _bus = bus;
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ApplicationName,
            // Not a pooled connection: it lives as long as the node, and a pool would hand it back half-listening.
            Pooling = false,
            // A silently dead peer (a network partition, a failed-over server) is noticed within seconds, not hours.
            KeepAlive = 5,
            TcpKeepAlive = true,
        }.ConnectionString;
    }

    /// <summary>Completes once the node listens for the first time.</summary>
    public Task Listening => _listening.Task;

    /// <summary>Called when the connection fails (before a retry); for the host's log.</summary>
    public Action<Exception>? ConnectionLost { get; set; }

    /// <summary>Called each time the node listens again after a loss.</summary>
    public Action? Reconnected { get; set; }

    /// <summary>Listens until <paramref name="stoppingToken"/> is cancelled, reconnecting with a growing pause after each failure.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                connection.Notification += (_, e) =>
                {
                    if (Change.TryParse(e.Payload, out var change))
                    {
                        _bus.Publish(change);
                    }
                };
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChangeTriggers.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever was cached before this point may have changed unheard (at start: while the node
                // was starting; after a loss: while it was away).
                _bus.Everything();
                _listening.TrySetResult();
                if (lost)
                {
                    Reconnected?.Invoke();
                }

                lost = false;
                retry = FirstRetry;
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                lost = true;
                ConnectionLost?.Invoke(exception);
                try
                {
                    await Task.Delay(retry, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }
}
