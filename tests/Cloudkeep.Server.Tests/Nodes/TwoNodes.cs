using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Cloudkeep.Testing;
using Npgsql;

namespace Cloudkeep.Server.Tests.Nodes;

/// <summary>
/// Two Cloudkeep servers sharing one PostgreSQL database, as two nodes behind a load balancer: one data
/// directory each, one master key. Their caches keep an entry ten minutes unless a change notification drops
/// it, so whatever one node sees of the other's change within seconds, it saw through the change bus.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public static readonly TimeSpan LongCacheLifetime = TimeSpan.FromMinutes(10);

    public string Database { get; private set; } = "";

    public string MasterKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Both nodes' clock (real time plus an offset: MFA tests step to the next code).</summary>
    public ShiftableClock Clock { get; } = new();

    public TestServer A { get; private set; } = null!;

    public TestServer B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgresServer.CreateDatabaseAsync();
        A = await StartNodeAsync();
        B = await StartNodeAsync();
    }

    public Task<TestServer> StartNodeAsync(TimeSpan? lifecycleInterval = null) =>
        TestServer.StartAsync(database: Database, masterKey: MasterKey, time: Clock, cacheLifetime: LongCacheLifetime, lifecycleInterval: lifecycleInterval);

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }

    /// <summary>Runs SQL on the shared database as the test's own client.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Storage.Metadata.PostgresMetadataStore.ToConnectionString(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>A counter from a node's Prometheus endpoint (0 when absent).</summary>
    public static async Task<double> MetricAsync(TestServer node, string name)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(node.Endpoint + "/_cloudkeep/metrics"));
        var match = Regex.Match(text, "^" + Regex.Escape(name) + @" (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>
    /// Polls <paramref name="seen"/> until it holds; returns how long that took from <paramref name="since"/>.
    /// Fails after <paramref name="bound"/> (a generous correctness bound, not a timing goal).
    /// </summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> seen, System.Diagnostics.Stopwatch since, TimeSpan bound, string what)
    {
        while (since.Elapsed < bound)
        {
            if (await seen())
            {
                return since.Elapsed;
            }

            await Task.Delay(5);
        }

        Assert.Fail($"{what}: not seen on the other node within {bound.TotalSeconds} s");
        return bound;
    }
}
