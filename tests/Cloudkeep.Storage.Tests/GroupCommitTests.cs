using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Dapper;

namespace Cloudkeep.Storage.Tests;

/// <summary>
/// SQLite's write transactions commit in groups: what queued behind a running transaction goes into the next one,
/// each caller's work in a savepoint of its own.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private SqliteMetadataStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteMetadataStore(Path.Combine(_directory.Path, "cloudkeep.db"));
        await _store.MigrateAsync(TimeProvider.System, CancellationToken.None);
        await using var connection = await _store.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE t (name TEXT PRIMARY KEY)");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    private Task<int> InsertAsync(string name, bool thenThrow = false) =>
        _store.InTransactionAsync(async (connection, transaction) =>
        {
            var inserted = await connection.ExecuteAsync("INSERT INTO t (name) VALUES (@name)", new { name }, transaction);
            return thenThrow ? throw new InvalidOperationException("refused " + name) : inserted;
        }, CancellationToken.None);

    private async Task<List<string>> NamesAsync()
    {
        await using var connection = await _store.OpenAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<string>("SELECT name FROM t ORDER BY name")];
    }

    /// <summary>Holds the writer in a transaction until released, so that what is queued meanwhile forms one group.</summary>
    private (Task Held, TaskCompletionSource Release) HoldWriter()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = _store.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO t (name) VALUES ('held')", transaction: transaction);
            await release.Task;
            return 0;
        }, CancellationToken.None);
        return (held, release);
    }

    [Fact]
    public async Task WorkThatThrowsInAGroup_UndoesOnlyItself_AndTheOthersCommit()
    {
        var (held, release) = HoldWriter();
        var a = InsertAsync("a");
        var b = InsertAsync("b", thenThrow: true);
        var c = InsertAsync("c");
        var duplicate = InsertAsync("a");
        release.SetResult();

        await held;
        Assert.Equal(1, await a);
        Assert.Equal("refused b", (await Assert.ThrowsAsync<InvalidOperationException>(() => b)).Message);
        Assert.Equal(1, await c);
        var unique = await Assert.ThrowsAnyAsync<Exception>(() => duplicate);
        Assert.True(_store.IsUniqueViolation(unique));
        Assert.Equal(["a", "c", "held"], await NamesAsync());
    }

    [Fact]
    public async Task ACallerDoneWaiting_BeforeItsTurn_RunsNothing()
    {
        var (held, release) = HoldWriter();
        using var cancelled = new CancellationTokenSource();
        var gaveUp = _store.InTransactionAsync((connection, transaction) => connection.ExecuteAsync("INSERT INTO t (name) VALUES ('late')", transaction: transaction), cancelled.Token);
        await cancelled.CancelAsync();
        var after = InsertAsync("after");
        release.SetResult();

        await held;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        Assert.Equal(1, await after);
        Assert.Equal(["after", "held"], await NamesAsync());
    }

    [Fact]
    public async Task ManyConcurrentWriters_EveryOneCommitted_AndSeenOnceItsTaskCompletes()
    {
        var writes = Enumerable.Range(0, 500).Select(async i =>
        {
            var name = $"w{i:D3}";
            await InsertAsync(name);
            await using var connection = await _store.OpenAsync(CancellationToken.None);
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t WHERE name = @name", new { name });
        });

        Assert.All(await Task.WhenAll(writes), seen => Assert.Equal(1, seen));
        Assert.Equal(500, (await NamesAsync()).Count);
    }

    [Fact]
    public async Task AStoppedStore_FinishesWhatWasQueued_ThenRefusesNewWork()
    {
        var (held, release) = HoldWriter();
        var queued = InsertAsync("queued");
        var stopping = _store.DisposeAsync().AsTask();
        release.SetResult();
        await held;
        await stopping;
        Assert.Equal(1, await queued);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => InsertAsync("too-late"));
    }
}
