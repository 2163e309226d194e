using System.Data.Common;
using Dapper;
using Npgsql;

namespace Cloudkeep.Storage.Metadata;

/// <summary>PostgreSQL, shared by several stateless nodes. Accepts postgres:// URLs and Npgsql connection strings.</summary>
public sealed class PostgresMetadataStore : MetadataStoreBase
{
    /// <summary>An arbitrary constant naming Cloudkeep's migration advisory lock.</summary>
    private const long MigrationLockId = 0x436C_6F75_646B_6565;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;

    public PostgresMetadataStore(string urlOrConnectionString)
    {
        _connectionString = ToConnectionString(urlOrConnectionString);
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    /// <summary>A listener on this database's change notifications, for one node (see <see cref="Changes.PostgresChangeTriggers"/>).</summary>
    public Changes.PostgresChangeListener CreateChangeListener(Changes.ChangeBus bus) => new(_connectionString, bus);

    public override string Engine => "postgres";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@id)", new { id = MigrationLockId }, transaction);

    /// <summary>
    /// Every text column compares and sorts in byte order (collation "C"), as SQLite's BINARY does, whatever the
    /// database's own collation is: a locale's (en_US.UTF-8, ICU) orders "a_b" before "a-b" and "a" before "B",
    /// so lists paged with "name > @after" (KMS aliases, SNS topics, log groups, uploads) came in another order
    /// than on SQLite and than the markers the services compare ordinally. Columns a migration declares without
    /// a collation are altered here, once (after that none is left), which rebuilds their indexes. Then the
    /// change-notification triggers are installed where missing.
    /// </summary>
    protected override async Task AfterMigrationsAsync(DbConnection connection, DbTransaction transaction)
    {
        await connection.ExecuteAsync(
            """
            DO $$
            DECLARE c record;
            BEGIN
                FOR c IN SELECT col.table_name, col.column_name FROM information_schema.columns col
                         JOIN information_schema.tables t ON t.table_schema = col.table_schema AND t.table_name = col.table_name
                         WHERE col.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                           AND col.data_type = 'text' AND col.collation_name IS DISTINCT FROM 'C'
                LOOP
                    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE text COLLATE "C"', c.table_name, c.column_name);
                END LOOP;
            END $$
            """,
            transaction: transaction);
        await connection.ExecuteAsync(Changes.PostgresChangeTriggers.Sql(), transaction: transaction);
    }

    /// <summary>
    /// Read committed under a transaction-scoped advisory lock on the name's 64-bit hash: writers of one key
    /// queue behind each other on every node, and statements after the lock see the previous writer's commit.
    /// Two names sharing a hash only wait for each other.
    /// </summary>
    protected override async Task<DbTransaction> BeginKeyedAsync(DbConnection connection, string lockName, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@lockName, 0))", new { lockName }, transaction, cancellationToken: cancellationToken));
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    protected override string AdaptSql(string sql) =>
        sql.Replace("COLLATE BINARY", "COLLATE \"C\"", StringComparison.Ordinal).Replace("BLOB NULL", "BYTEA NULL", StringComparison.Ordinal);

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsSerializationFailure(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    public override bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Class 08 is a connection exception; 57P01-57P03 a server shutting down, crashed or
                // starting; 53300 no connection slot free.
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;

                // Refused, reset or timed-out connections, and a pool with no connection to give.
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
            }
        }

        return false;
    }

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Turns postgres://user:password@host:port/db?sslmode=... into an Npgsql connection string.</summary>
    public static string ToConnectionString(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Uri.UnescapeDataString(uri.Host),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2)
            {
                builder[Uri.UnescapeDataString(kv[0])] = Uri.UnescapeDataString(kv[1]);
            }
        }

        return builder.ConnectionString;
    }
}
