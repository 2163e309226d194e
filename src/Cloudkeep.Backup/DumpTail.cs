using System.Text;

namespace Cloudkeep.Backup;

/// <summary>
/// Keeps the last bytes written through it, to check that a dump's SQL ends as pg_dump ends it: a dump cut
/// short (pg_dump killed, a disk full) is valid gzip and valid OpenPGP but lacks that ending.
/// </summary>
internal sealed class DumpTail
{
    private const string Complete = "-- PostgreSQL database dump complete";
    private const int Kept = 4096;

    private readonly byte[] _ring = new byte[Kept];
    private long _total;

    public long Length => _total;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > Kept)
        {
            // Only the last Kept bytes can survive; the ones before still count towards the length.
            _total += bytes.Length - Kept;
            bytes = bytes[^Kept..];
        }

        foreach (var b in bytes)
        {
            _ring[_total++ % Kept] = b;
        }
    }

    public string Text()
    {
        var count = (int)Math.Min(_total, Kept);
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = _ring[(_total - count + i) % Kept];
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// True when the last SQL comment is pg_dump's closing one, followed only by comment dashes, blank lines and
    /// the <c>\unrestrict</c> meta-command PostgreSQL 17.6 and later write after it.
    /// </summary>
    public bool EndsAsPgDumpEnds()
    {
        var lines = Text().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line == Complete)
            {
                return true;
            }

            if (line.Length > 0 && line != "--" && !line.StartsWith("\\unrestrict ", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return false;
    }
}
