using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cloudkeep.Protocol.Http;

/// <summary>
/// One "bytes=" range of a Range or x-amz-copy-source-range header (RFC 9110 §14.1.2): first-last,
/// first- (to the end), or -suffix (the last bytes), when <see cref="First"/> is null.
/// </summary>
public sealed record ByteRange(long? First, long? Last)
{
    private const string Unit = "bytes=";

    /// <summary>
    /// Reads the header as S3 does: a multi-range list or anything malformed is not a range (S3
    /// then sends the whole object rather than refusing it), nor is a last byte before the first.
    /// </summary>
    public static bool TryParse(string header, [NotNullWhen(true)] out ByteRange? range)
    {
        ArgumentNullException.ThrowIfNull(header);
        range = null;
        if (!header.StartsWith(Unit, StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header[Unit.Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return false;
        }

        var firstText = spec[..dash];
        var lastText = spec[(dash + 1)..];
        if (firstText.Length == 0)
        {
            if (!TryParseCount(lastText, out var suffix))
            {
                return false;
            }

            range = new ByteRange(null, suffix);
            return true;
        }

        if (!TryParseCount(firstText, out var first))
        {
            return false;
        }

        long? last = null;
        if (lastText.Length > 0)
        {
            if (!TryParseCount(lastText, out var value) || value < first)
            {
                return false;
            }

            last = value;
        }

        range = new ByteRange(first, last);
        return true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Unit}{First}-{Last}");

    // NumberStyles.None: no sign, no blanks, no thousands separators inside the range.
    private static bool TryParseCount(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
