using System.Text;

namespace Cloudkeep.Backup.Tests;

public sealed class DumpTailTests
{
    [Theory]
    [InlineData("SELECT 1;\n\n--\n-- PostgreSQL database dump complete\n--\n\n", true)]
    [InlineData("SELECT 1;\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abc123\n\n", true)]
    [InlineData("SELECT 1;\n--\n-- PostgreSQL database dump complete\n--\n\nDROP TABLE x;\n", false)]
    [InlineData("--\n-- PostgreSQL database dump\n--\n\nCOPY public.t (id) FROM stdin;\n1\n", false)]
    [InlineData("", false)]
    public void EndsAsPgDumpEnds_ByTheLastLines(string sql, bool expected)
    {
        var tail = new DumpTail();
        tail.Append(Encoding.UTF8.GetBytes(sql));
        Assert.Equal(expected, tail.EndsAsPgDumpEnds());
    }

    [Fact]
    public void Append_LongerThanKept_KeepsTheEndAndCountsEverything()
    {
        var tail = new DumpTail();
        var sql = new string('x', 10_000) + "\n-- PostgreSQL database dump complete\n--\n";
        foreach (var chunk in sql.Chunk(777))
        {
            tail.Append(Encoding.UTF8.GetBytes(chunk));
        }

        tail.Append(Encoding.UTF8.GetBytes(new string('\n', 2000)));
        Assert.Equal(sql.Length + 2000, tail.Length);
        Assert.True(tail.EndsAsPgDumpEnds());
    }

    [Fact]
    public void ExpandName_FormatsTheUtcTime()
    {
        Assert.Equal("production-202612070300.sql.gz.gpg", BackupRunner.ExpandName("production-{yyyyMMddHHmm}.sql.gz.gpg", new DateTimeOffset(2026, 12, 7, 4, 0, 0, TimeSpan.FromHours(1))));
    }
}
