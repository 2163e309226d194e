using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cloudkeep.Storage.Metadata;

public sealed partial class CloudTrailRepository
{
    /// <summary>
    /// The events through SQLite's own API, inside the transaction the connection holds: each statement
    /// prepared once per batch, parameters bound by position, strings transcoded to UTF-8 into one reused
    /// buffer (SQLite copies a bound value, and .NET's transcoder is several times faster than SQLite's own
    /// UTF-16 conversion, which was the largest single cost of storing an event). The ADO.NET path looks every parameter up by name and converts every string (a 1 KB
    /// record included) to a new UTF-8 array on each execution, which made storing an event cost about a
    /// quarter more (docs/performance.md, "CloudTrail recording").
    /// </summary>
    private static List<CloudTrailEventRow> InsertOnSqlite(SqliteConnection connection, IReadOnlyList<CloudTrailEventRow> events)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var inserted = new List<CloudTrailEventRow>(events.Count);
        var text = new Utf8Text();
        sqlite3_stmt? insert = null;
        sqlite3_stmt? resource = null;
        try
        {
            Check(db, raw.sqlite3_prepare_v2(db, InsertEventSql, out insert));
            foreach (var e in events)
            {
                Check(db, raw.sqlite3_reset(insert));
                text.Bind(insert, 1, e.EventId);
                text.Bind(insert, 2, e.AccountId);
                text.Bind(insert, 3, e.Region);
                raw.sqlite3_bind_int64(insert, 4, e.EventTime.ToUnixTimeMilliseconds());
                text.Bind(insert, 5, e.EventName);
                text.Bind(insert, 6, e.EventSource);
                text.Bind(insert, 7, e.Username);
                text.Bind(insert, 8, e.AccessKeyId);
                raw.sqlite3_bind_int(insert, 9, e.ReadOnly ? 1 : 0);
                raw.sqlite3_bind_int(insert, 10, e.Management ? 1 : 0);
                text.Bind(insert, 11, e.Record);
                Step(db, insert);
                if (raw.sqlite3_changes(db) == 0)
                {
                    continue;
                }

                inserted.Add(e);
                if (e.Resources.Count == 0)
                {
                    continue;
                }

                if (resource is null)
                {
                    Check(db, raw.sqlite3_prepare_v2(db, InsertResourceSql, out resource));
                }

                foreach (var (type, name) in e.Resources)
                {
                    Check(db, raw.sqlite3_reset(resource));
                    text.Bind(resource, 1, e.AccountId);
                    text.Bind(resource, 2, e.EventId);
                    text.Bind(resource, 3, type);
                    text.Bind(resource, 4, name);
                    Step(db, resource);
                }
            }
        }
        finally
        {
            insert?.Dispose();
            resource?.Dispose();
        }

        return inserted;
    }

    /// <summary>Binds strings as UTF-8 through one buffer, grown as needed and kept for the batch.</summary>
    private sealed class Utf8Text
    {
        private byte[] _buffer = new byte[4096];

        public void Bind(sqlite3_stmt statement, int index, string? value)
        {
            if (value is null)
            {
                raw.sqlite3_bind_null(statement, index);
                return;
            }

            var most = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
            if (most > _buffer.Length)
            {
                _buffer = new byte[Math.Max(most, _buffer.Length * 2)];
            }

            var length = System.Text.Encoding.UTF8.GetBytes(value, _buffer);
            raw.sqlite3_bind_text(statement, index, _buffer.AsSpan(0, length));
        }
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
            throw new SqliteException("SQLite stopped an insert with code " + rc, rc);
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
            throw new SqliteException("SQLite refused a statement with code " + rc, rc);
        }
    }
}
