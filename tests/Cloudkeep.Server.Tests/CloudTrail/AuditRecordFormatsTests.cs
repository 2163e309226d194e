using System.Globalization;
using CsCheck;
using Cloudkeep.Services.CloudTrail;

namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>The record's event ids and timestamps, made by hand for speed: checked against what .NET's own formatters make.</summary>
public sealed class AuditRecordFormatsTests
{
    private static readonly Gen<DateTimeOffset> Times =
        Gen.Long[DateTimeOffset.UnixEpoch.ToUnixTimeMilliseconds(), new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeMilliseconds()]
            .Select(Gen.Int[-14 * 60, 14 * 60], (ms, offset) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromMinutes(offset)));

    [Fact]
    public void Timestamp_IsTheUtcTimeToTheSecond_AsTheCustomFormatWritesIt() =>
        Times.Sample(at => Assert.Equal(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), AuditRecords.Timestamp(at)));

    [Fact]
    public void EventId_IsAVersion7Uuid_WhoseTimeIsTheEventsMillisecond() =>
        Times.Sample(at =>
        {
            var id = AuditRecords.NewEventId(at);
            var guid = Guid.ParseExact(id, "D");
            Assert.Equal(id, guid.ToString());
            Assert.Equal(7, guid.Version);
            Assert.Contains(id[19], "89ab"); // RFC 9562's variant: the top two bits 10

            // The first 48 bits are the Unix time in milliseconds, as Guid.CreateVersion7 writes them.
            Assert.Equal(Guid.CreateVersion7(at).ToString()[..13], id[..13]);
        });

    [Fact]
    public void EventIds_OfOneMillisecond_AreDistinct()
    {
        var at = new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 100_000).Select(_ => AuditRecords.NewEventId(at)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(100_000, ids.Count);
    }
}
