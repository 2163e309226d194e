namespace Cloudkeep.Services.S3;

/// <summary>
/// The CRC of two concatenated byte strings from the CRCs of each and the second one's length, for
/// reflected CRCs whose initial value and final xor are all ones (CRC-32, CRC-32C, CRC-64/NVME): the
/// first CRC is carried over the second string's length of zero bytes (a GF(2) matrix raised by
/// squaring), then xored with the second. This is how S3's full-object checksum of a multipart
/// upload follows from its parts' checksums without reading the data again.
/// </summary>
internal static class CrcCombine
{
    public static ulong Combine(ulong first, ulong second, long secondLength, ulong reflectedPolynomial, int width)
    {
        if (secondLength <= 0)
        {
            // The CRC of nothing is zero for these CRCs, so an empty second part changes nothing.
            return first ^ second;
        }

        // odd: the operator for one zero bit; even: two; then four, eight (one byte), ...
        var odd = new ulong[width];
        odd[0] = reflectedPolynomial;
        ulong row = 1;
        for (var n = 1; n < width; n++)
        {
            odd[n] = row;
            row <<= 1;
        }

        var even = Square(odd, width);
        odd = Square(even, width);
        var length = secondLength;
        var crc = first;
        while (true)
        {
            even = Square(odd, width);
            if ((length & 1) != 0)
            {
                crc = Times(even, crc);
            }

            length >>= 1;
            if (length == 0)
            {
                break;
            }

            odd = Square(even, width);
            if ((length & 1) != 0)
            {
                crc = Times(odd, crc);
            }

            length >>= 1;
            if (length == 0)
            {
                break;
            }
        }

        return crc ^ second;
    }

    private static ulong Times(ulong[] matrix, ulong vector)
    {
        ulong sum = 0;
        for (var i = 0; vector != 0; i++, vector >>= 1)
        {
            if ((vector & 1) != 0)
            {
                sum ^= matrix[i];
            }
        }

        return sum;
    }

    private static ulong[] Square(ulong[] matrix, int width)
    {
        var square = new ulong[width];
        for (var n = 0; n < width; n++)
        {
            square[n] = Times(matrix, matrix[n]);
        }

        return square;
    }
}
