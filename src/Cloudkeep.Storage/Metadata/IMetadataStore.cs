using System.Data.Common;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// The relational metadata store: one schema, two engines (SQLite embedded, PostgreSQL for many
/// nodes). Repositories write portable SQL through Dapper on the connections it hands out.
/// </summary>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Engine { get; }

    /// <summary>Applies the numbered migrations not yet applied, once, even with several nodes starting together.</summary>
    /// <summary>Applies the migrations not yet applied; each is recorded with the time <paramref name="time"/> gives.</summary>
    Task MigrateAsync(TimeProvider time, CancellationToken cancellationToken);

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads the first row of a query, or default when there is none, by a statement the engine may
    /// keep prepared between requests: for the lookups every request makes (an object's row on each GET).
    /// Parameters are named as in the SQL (@name) and passed in the same order on every call of the same SQL.
    /// </summary>
    Task<T?> QueryRowAsync<T>(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction, committed only if it returns normally.</summary>
    Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that only other transactions naming the same
    /// <paramref name="lockName"/> (one S3 key) are ordered against: the work must only touch rows of that
    /// name, which every writer of them reaches through this method. PostgreSQL's serializable checks
    /// would otherwise refuse concurrent inserts of unrelated keys that share an index page.
    /// </summary>
    Task<T> InKeyTransactionAsync<T>(string lockName, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Whether an exception is the engine's unique-constraint violation.</summary>
    bool IsUniqueViolation(Exception exception);

    /// <summary>Whether an exception is the engine refusing to order two concurrent transactions (PostgreSQL's serialization failure or deadlock).</summary>
    bool IsSerializationFailure(Exception exception);

    /// <summary>
    /// Whether an exception (or one it wraps) says the engine cannot be reached or is not serving now: a
    /// restarting or unreachable PostgreSQL. Nothing of the request was committed then, so it is the
    /// client's to retry (503), not a server fault (500).
    /// </summary>
    bool IsUnavailable(Exception exception);
}
