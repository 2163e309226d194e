using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Cloudkeep.Server.Tests.Hostile;

/// <summary>
/// A fingerprint of everything a server has stored: every row of its SQLite database (read beside
/// the running server, as WAL allows) and the names of its blob files. A refused request must leave
/// it as it was. Access keys' last-used columns are left out: AWS records a key's use even when
/// the request it signed is refused. The CloudTrail event tables are left out too: every request,
/// a refused one above all, is recorded there by design (CloudTrail records denied and failed calls),
/// so they change with each request the test sends; what a refused request must not change is the
/// estate itself. The alert outbox is left out for the same reason: the alert rules judge every
/// recorded event (a refused call by root's key raises "root access key used"), and the delivery
/// job moves its rows on, holding its lease ("alert-delivery") while it does; the alert's quiet period is a lease too ("alert-quiet:..."). Those tables' own tests are in tests/Cloudkeep.Server.Tests/CloudTrail
/// and tests/Cloudkeep.Server.Tests/Alerts. S3 server access log lines are left out alike: S3 logs
/// every request to a bucket that logs, refused ones included, and the recorder writes them after
/// the answer, so a line of the previous request may land while the next one is judged (their tests
/// are in tests/Cloudkeep.Server.Tests/S3/S3AccessLogTests.cs).
/// </summary>
public static class EstateSnapshot
{
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal) { "last_used_at", "last_used_service", "last_used_region" };

    private static readonly HashSet<string> AuditTables = new(StringComparer.Ordinal) { "cloudtrail_events", "cloudtrail_event_resources", "cloudtrail_stored", "alert_outbox", "s3_access_log_lines" };

    private const string AlertDeliveryLease = "alert-delivery";

    // The quiet period of the alert that event raised, kept estate-wide as a lease.
    private const string AlertQuietLeases = "alert-quiet:";

    public static string Take(string dataDirectory)
    {
        var builder = new StringBuilder();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "cloudkeep.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString()))
        {
            connection.Open();
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables.Where(t => !AuditTables.Contains(t)))
            {
                using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\"";
                using var reader = select.ExecuteReader();
                var rows = new List<string>();
                while (reader.Read())
                {
                    var row = new StringBuilder();
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        if (!Volatile.Contains(reader.GetName(i)))
                        {
                            var value = reader.GetValue(i);
                            row.Append(reader.GetName(i)).Append('=').Append(value is byte[] bytes ? Convert.ToHexString(SHA256.HashData(bytes)) : value.ToString()).Append('|');
                        }
                    }

                    if (!(table == "leases" && (row.ToString().StartsWith("name=" + AlertDeliveryLease + "|", StringComparison.Ordinal) || row.ToString().StartsWith("name=" + AlertQuietLeases, StringComparison.Ordinal))))
                    {
                        rows.Add(row.ToString());
                    }
                }

                rows.Sort(StringComparer.Ordinal);
                builder.Append(table).Append(':').Append(rows.Count).Append('\n');
                foreach (var row in rows)
                {
                    builder.Append(row).Append('\n');
                }
            }
        }

        var blobs = Path.Combine(dataDirectory, "blobs");
        if (Directory.Exists(blobs))
        {
            foreach (var file in Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                builder.Append("blob ").Append(Path.GetRelativePath(blobs, file)).Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>The first lines that differ, to say what a refused request left behind.</summary>
    public static string Difference(string before, string after)
    {
        var a = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var b = after.Split('\n').ToHashSet(StringComparer.Ordinal);
        var added = b.Except(a).Take(5).Select(l => "+ " + Shorten(l));
        var removed = a.Except(b).Take(5).Select(l => "- " + Shorten(l));
        return string.Join("\n", added.Concat(removed));
    }

    private static string Shorten(string line) => line.Length > 300 ? line[..300] + "..." : line;
}
