namespace Cloudkeep.Secrets.Keys;

/// <summary>BIP 173 Bech32, which age uses for recipients (age1…) and identities (AGE-SECRET-KEY-1…), without BIP 173's 90-character limit.</summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    public static string Encode(string hrp, byte[] data)
    {
        var values = ConvertBits(data, 8, 5, pad: true);
        var checksum = Checksum(hrp, values);
        return hrp + "1" + new string([.. values.Concat(checksum).Select(v => Charset[v])]);
    }

    public static (string Hrp, byte[] Data) Decode(string text)
    {
        if (text.Any(char.IsLower) && text.Any(char.IsUpper))
        {
            throw new FormatException("mixed-case Bech32 string");
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || separator + 7 > lower.Length)
        {
            throw new FormatException("malformed Bech32 string");
        }

        var hrp = lower[..separator];
        var values = new List<byte>();
        foreach (var c in lower[(separator + 1)..])
        {
            var v = Charset.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                throw new FormatException("invalid Bech32 character");
            }

            values.Add((byte)v);
        }

        if (Polymod([.. HrpExpand(hrp), .. values]) != 1)
        {
            throw new FormatException("invalid Bech32 checksum");
        }

        return (hrp, ConvertBits([.. values.Take(values.Count - 6)], 5, 8, pad: false));
    }

    private static byte[] Checksum(string hrp, byte[] values)
    {
        var polymod = Polymod([.. HrpExpand(hrp), .. values, 0, 0, 0, 0, 0, 0]) ^ 1;
        return [.. Enumerable.Range(0, 6).Select(i => (byte)((polymod >> (5 * (5 - i))) & 31))];
    }

    private static uint Polymod(byte[] values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= Generator[i];
                }
            }
        }

        return chk;
    }

    private static byte[] HrpExpand(string hrp) => [.. hrp.Select(c => (byte)(c >> 5)), 0, .. hrp.Select(c => (byte)(c & 31))];

    private static byte[] ConvertBits(byte[] data, int from, int to, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var result = new List<byte>();
        var max = (1 << to) - 1;
        foreach (var value in data)
        {
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & max));
            }
        }

        if (pad && bits > 0)
        {
            result.Add((byte)((acc << (to - bits)) & max));
        }
        else if (!pad && (bits >= from || ((acc << (to - bits)) & max) != 0))
        {
            throw new FormatException("invalid Bech32 padding");
        }

        return [.. result];
    }
}
