using System.Data;
using System.Data.Common;
using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>What both engines share: transactions and the migration runner.</summary>
public abstract class MetadataStoreBase : IMetadataStore
{
    public abstract string Engine { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public abstract bool IsUniqueViolation(Exception exception);

    public virtual async Task<T?> QueryRowAsync<T>(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var arguments = new DynamicParameters();
        foreach (var (name, value) in parameters)
        {
            arguments.Add(name, value);
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<T>(new CommandDefinition(sql, arguments, cancellationToken: cancellationToken));
    }

    /// <summary>SQLite runs one writer at a time, so it never refuses to order two transactions.</summary>
    public virtual bool IsSerializationFailure(Exception exception) => false;

    /// <summary>An embedded engine is never out of reach.</summary>
    public virtual bool IsUnavailable(Exception exception) => false;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// An engine with one writer at a time (SQLite) queues this process's write transactions here,
    /// asynchronously, instead of in the engine's busy handler, which waits by sleeping.
    /// </summary>
    protected virtual SemaphoreSlim? WriteGate => null;

    private long _refusals;

    /// <summary>How many transactions the engine refused to order (and this store ran again) since it was opened.</summary>
    public long SerializationRefusals => Interlocked.Read(ref _refusals);

    /// <summary>How many times a transaction the engine refused to order is run before the refusal is the caller's.</summary>
    private const int SerializationAttempts = 10;

    public Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(work, lockName: null, cancellationToken);

    public Task<T> InKeyTransactionAsync<T>(string lockName, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lockName);
        return RunAsync(work, lockName, cancellationToken);
    }

    private async Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, string? lockName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(work, lockName, cancellationToken);
            }
            catch (Exception e) when (IsSerializationFailure(e))
            {
                Interlocked.Increment(ref _refusals);
                if (attempt >= SerializationAttempts)
                {
                    throw new StoreBusyException($"The metadata store refused to order the transaction {attempt} times.", e);
                }

                // PostgreSQL refused to order this transaction against a concurrent one (two PUTs of one
                // key on two nodes): nothing of it was committed, so it runs again after a short random
                // pause (growing, at most a quarter second), and the next run sees the other's commit.
                // Work given here only touches the store.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(4 << attempt, 250))), cancellationToken);
            }
        }
    }

    private async Task<T> RunOnceAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, string? lockName, CancellationToken cancellationToken)
    {
        var gate = WriteGate;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = lockName is null ? await BeginAsync(connection, cancellationToken) : await BeginKeyedAsync(connection, lockName, cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            gate?.Release();
        }
    }

    protected virtual async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);

    /// <summary>
    /// Begins a transaction whose writers are ordered by a lock on <paramref name="lockName"/> instead of by
    /// the engine's serializable checks. An engine with one writer at a time needs no more than a transaction.
    /// </summary>
    protected virtual Task<DbTransaction> BeginKeyedAsync(DbConnection connection, string lockName, CancellationToken cancellationToken) =>
        BeginAsync(connection, cancellationToken);

    /// <summary>Takes the engine's cross-node lock for the migration transaction (PostgreSQL: an advisory lock).</summary>
    protected virtual Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    /// <summary>Runs in the migration transaction after every migration is applied, each time the store is migrated.</summary>
    protected virtual Task AfterMigrationsAsync(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    /// <summary>Rewrites the little portable SQL cannot say the same way on both engines (collations).</summary>
    protected virtual string AdaptSql(string sql) => sql;

    public Task MigrateAsync(TimeProvider time, CancellationToken cancellationToken) => MigrateAsync(time, int.MaxValue, cancellationToken);

    /// <summary>Applies the migrations up to and including <paramref name="throughVersion"/>: the tests of a migration start from the schema before it.</summary>
    internal async Task MigrateAsync(TimeProvider time, int throughVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        await LockForMigrationAsync(connection, transaction);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            transaction: transaction);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: transaction)).ToHashSet();
        foreach (var (version, name, sql) in Migrations.All)
        {
            if (applied.Contains(version) || version > throughVersion)
            {
                continue;
            }

            await connection.ExecuteAsync(AdaptSql(sql), transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = time.GetUtcNow().ToUnixTimeSeconds() },
                transaction);
        }

        await AfterMigrationsAsync(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
    }
}
