using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cloudkeep.Storage.Metadata;

public sealed partial class CloudTrailRepository
{
    /// <summary>
    /// The events through SQLite's own API, inside the transaction the connection holds: each statement
    /// prepared once per batch, parameters bound by position, strings handed over as UTF-16 for SQLite to
    /// convert. The ADO.NET path looks every parameter up by name and converts every string (a 1 KB
    /// record included) to a new UTF-8 array on each execution, which made storing an event cost about a
    /// quarter more (docs/performance.md, "CloudTrail recording").
    /// </summary>
    private static List<CloudTrailEventRow> InsertOnSqlite(SqliteConnection connection, IReadOnlyList<CloudTrailEventRow> events)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var inserted = new List<CloudTrailEventRow>(events.Count);
        sqlite3_stmt? insert = null;
        sqlite3_stmt? resource = null;
        try
        {
            Check(db, raw.sqlite3_prepare_v2(db, InsertEventSql, out insert));
            foreach (var e in events)
            {
                Check(db, raw.sqlite3_reset(insert));
                Text(insert, 1, e.EventId);
                Text(insert, 2, e.AccountId);
                Text(insert, 3, e.Region);
                raw.sqlite3_bind_int64(insert, 4, e.EventTime.ToUnixTimeMilliseconds());
                Text(insert, 5, e.EventName);
                Text(insert, 6, e.EventSource);
                Text(insert, 7, e.Username);
                Text(insert, 8, e.AccessKeyId);
                raw.sqlite3_bind_int(insert, 9, e.ReadOnly ? 1 : 0);
                raw.sqlite3_bind_int(insert, 10, e.Management ? 1 : 0);
                Text(insert, 11, e.Record);
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
                    Text(resource, 1, e.AccountId);
                    Text(resource, 2, e.EventId);
                    Text(resource, 3, type);
                    Text(resource, 4, name);
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

    private static void Text(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text16(statement, index, value);
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
