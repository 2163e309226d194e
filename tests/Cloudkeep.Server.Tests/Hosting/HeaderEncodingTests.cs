using Cloudkeep.Server.Hosting;

namespace Cloudkeep.Server.Tests.Hosting;

/// <summary>Request header bytes as Kestrel hands them to the encoding (GetString over a span): UTF-8 where valid, else ISO-8859-1.</summary>
public sealed class HeaderEncodingTests
{
    [Theory]
    [InlineData(new byte[] { 0x61, 0x62, 0x63 }, "abc")]
    [InlineData(new byte[] { 0x63, 0x61, 0x66, 0xc3, 0xa9 }, "caf\u00e9")]
    [InlineData(new byte[] { 0x63, 0x61, 0x66, 0xe9 }, "caf\u00e9")]
    [InlineData(new byte[] { 0xe6, 0x97, 0xa5 }, "\u65e5")]
    [InlineData(new byte[] { 0xff, 0xfe }, "\u00ff\u00fe")]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, "\u00ed\u00a0\u0080")]
    [InlineData(new byte[0], "")]
    public void GetString_HeaderBytes_Utf8WhereValidElseLatin1(byte[] bytes, string expected)
    {
        Assert.Equal(expected, HeaderEncoding.Instance.GetString(new ReadOnlySpan<byte>(bytes)));
        Assert.Equal(expected, HeaderEncoding.Instance.GetString(bytes, 0, bytes.Length));
    }
}
