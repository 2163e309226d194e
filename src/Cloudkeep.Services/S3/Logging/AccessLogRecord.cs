using System.Globalization;
using System.Text;

namespace Cloudkeep.Services.S3.Logging;

/// <summary>
/// One request as S3's server access log records it ("Amazon S3 server access log format"): the
/// fields in AWS's order, space-separated, "-" for an empty field, the time in brackets, the
/// request line, referer and user agent in quotes. Fields that would break the line (quotes,
/// control characters, spaces in unquoted fields) are percent-encoded.
/// </summary>
public sealed record AccessLogRecord
{
    public required string BucketOwner { get; init; }

    public required string Bucket { get; init; }

    public required DateTimeOffset Time { get; init; }

    public string? RemoteIp { get; init; }

    public string? Requester { get; init; }

    public required string RequestId { get; init; }

    public required string Operation { get; init; }

    public string? Key { get; init; }

    public string? RequestUri { get; init; }

    public int HttpStatus { get; init; }

    public string? ErrorCode { get; init; }

    public long? BytesSent { get; init; }

    public long? ObjectSize { get; init; }

    public long TotalTimeMs { get; init; }

    public long? TurnAroundTimeMs { get; init; }

    public string? Referer { get; init; }

    public string? UserAgent { get; init; }

    public string? VersionId { get; init; }

    public string? HostId { get; init; }

    public string? SignatureVersion { get; init; }

    public string? CipherSuite { get; init; }

    public string? AuthenticationType { get; init; }

    public string? HostHeader { get; init; }

    public string? TlsVersion { get; init; }

    public string? AccessPointArn { get; init; }

    public string? AclRequired { get; init; }

    /// <summary>The log line, without a line end.</summary>
    public string Format()
    {
        var line = new StringBuilder(512);
        Field(line, BucketOwner);
        Field(line, Bucket);
        line.Append(" [").Append(Time.ToUniversalTime().ToString("dd/MMM/yyyy:HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append(']');
        Field(line, RemoteIp);
        Field(line, Requester);
        Field(line, RequestId);
        Field(line, Operation);
        Field(line, Key is null ? null : Uri.EscapeDataString(Key).Replace("%2F", "/", StringComparison.Ordinal));
        Quoted(line, RequestUri);
        Field(line, HttpStatus.ToString(CultureInfo.InvariantCulture));
        Field(line, ErrorCode);
        Field(line, BytesSent is > 0 ? BytesSent.Value.ToString(CultureInfo.InvariantCulture) : null);
        Field(line, ObjectSize?.ToString(CultureInfo.InvariantCulture));
        Field(line, TotalTimeMs.ToString(CultureInfo.InvariantCulture));
        Field(line, TurnAroundTimeMs?.ToString(CultureInfo.InvariantCulture));
        Quoted(line, Referer);
        Quoted(line, UserAgent);
        Field(line, VersionId);
        Field(line, HostId);
        Field(line, SignatureVersion);
        Field(line, CipherSuite);
        Field(line, AuthenticationType);
        Field(line, HostHeader);
        Field(line, TlsVersion);
        Field(line, AccessPointArn);
        Field(line, AclRequired);
        return line.ToString(1, line.Length - 1);
    }

    private static void Field(StringBuilder line, string? value)
    {
        line.Append(' ');
        if (string.IsNullOrEmpty(value))
        {
            line.Append('-');
            return;
        }

        foreach (var c in value)
        {
            Append(line, c, escapeSpace: true);
        }
    }

    private static void Quoted(StringBuilder line, string? value)
    {
        line.Append(' ');
        if (string.IsNullOrEmpty(value))
        {
            line.Append("\"-\"");
            return;
        }

        line.Append('"');
        foreach (var c in value)
        {
            Append(line, c, escapeSpace: false);
        }

        line.Append('"');
    }

    private static void Append(StringBuilder line, char c, bool escapeSpace)
    {
        if (c < 0x20 || c == 0x7F || c == '"' || (escapeSpace && c == ' '))
        {
            line.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
        }
        else
        {
            line.Append(c);
        }
    }
}
