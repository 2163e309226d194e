using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// SQLite connections kept open for the hot single-row reads, each with its statements prepared once.
/// A pooled connection closes its statements when it is returned, so every request used to parse and
/// plan the same SELECT again (a tenth of a small GET's CPU, docs/performance.md, issue I). These
/// connections are read-only (query_only), apart from the write gate, and each serves one request at a
/// time; in WAL mode every statement reads the latest commit.
/// </summary>
internal sealed class PreparedReaders : IDisposable
{
    /// <summary>Connections kept beyond this many concurrent reads are closed when they are returned.</summary>
    private const int Kept = 64;

    private readonly string _connectionString;
    private readonly ConcurrentBag<Reader> _idle = [];
    private volatile bool _disposed;

    public PreparedReaders(string connectionString) => _connectionString = connectionString;

    public T? QueryRow<T>(string sql, (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var reader = _idle.TryTake(out var idle) ? idle : Reader.Open(_connectionString);
        var healthy = false;
        try
        {
            var row = reader.QueryRow<T>(sql, parameters);
            healthy = true;
            return row;
        }
        finally
        {
            // A connection that failed mid-statement is not trusted again.
            if (healthy && !_disposed && _idle.Count < Kept)
            {
                _idle.Add(reader);
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly Dictionary<string, Prepared> _statements = new(StringComparer.Ordinal);

        private Reader(SqliteConnection connection) => _connection = connection;

        public static Reader Open(string connectionString)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA query_only=ON; PRAGMA busy_timeout=30000; " + SqliteMetadataStore.MemoryMapPragma;
                pragma.ExecuteNonQuery();
                return new Reader(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public T? QueryRow<T>(string sql, (string Name, object Value)[] parameters)
        {
            if (!_statements.TryGetValue(sql, out var prepared))
            {
                var command = _connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.AddWithValue(name, value);
                }

                command.Prepare();
                prepared = new Prepared(command);
                _statements.Add(sql, prepared);
            }

            var bound = prepared.Command.Parameters;
            for (var i = 0; i < parameters.Length; i++)
            {
                bound[i].Value = parameters[i].Value;
            }

            using var reader = prepared.Command.ExecuteReader();
            if (!reader.Read())
            {
                return default;
            }

            var parse = (Func<System.Data.Common.DbDataReader, T>)(prepared.Parser ??= reader.GetRowParser<T>());
            return parse(reader);
        }

        public void Dispose()
        {
            foreach (var prepared in _statements.Values)
            {
                prepared.Command.Dispose();
            }

            _connection.Dispose();
        }
    }

    private sealed class Prepared(SqliteCommand command)
    {
        public SqliteCommand Command { get; } = command;

        /// <summary>Dapper's row parser for the statement's columns, made on its first row.</summary>
        public Delegate? Parser { get; set; }
    }
}
