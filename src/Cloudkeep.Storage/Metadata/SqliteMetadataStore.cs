using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// The embedded default: one SQLite file in the data directory, in WAL mode so readers never block
/// the writer, with a busy timeout so concurrent writers queue instead of failing.
/// </summary>
public sealed class SqliteMetadataStore : MetadataStoreBase
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _configured = new();
    private static readonly object Configured = new();
    private readonly PreparedReaders _readers;

    public SqliteMetadataStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute("PRAGMA journal_mode=WAL;");
        _readers = new PreparedReaders(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
    }

    /// <summary>
    /// Reads of the database's first 256 MiB (its header, the tables' and indexes' upper pages, every row of
    /// a small estate) through a memory map rather than a pread each: SQLite checks the file's header at the
    /// start of every read transaction, which cost one system call per GET (docs/performance.md).
    /// </summary>
    internal const string MemoryMapPragma = "PRAGMA mmap_size=268435456;";

    public override string Engine => "sqlite";

    protected override SemaphoreSlim? WriteGate => _writeGate;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);

        // These settings belong to the native connection, which the pool keeps open across uses:
        // set them once per native connection rather than on every request.
        if (connection.Handle is { } handle && !_configured.TryGetValue(handle, out _))
        {
            await connection.ExecuteAsync("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; " + MemoryMapPragma);
            _configured.AddOrUpdate(handle, Configured);
        }

        return connection;
    }

    public override Task<T?> QueryRowAsync<T>(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
        where T : default
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.QueryRow<T>(sql, parameters));
    }

    /// <summary>BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock on an upgrade.</summary>
    protected override Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19 };

    public override ValueTask DisposeAsync()
    {
        _readers.Dispose();
        SqliteConnection.ClearAllPools();
        _writeGate.Dispose();
        return base.DisposeAsync();
    }
}
