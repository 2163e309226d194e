using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cloudkeep.Policy;

/// <summary>
/// An IPv4 or IPv6 CIDR block, parsed once at compile time. A bare address means a single host.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
/// </summary>
internal readonly record struct IpNetwork(UInt128 Address, int PrefixLength, bool IsV6)
{
    public static bool TryParse(ReadOnlySpan<char> text, out IpNetwork network)
    {
        network = default;
        text = text.Trim();
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(addressText, out var address, out var isV6))
        {
            return false;
        }

        var max = isV6 ? 128 : 32;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
            || prefix > max))
        {
            return false;
        }

        network = new IpNetwork(Mask(address, prefix, max), prefix, isV6);
        return true;
    }

    public bool Contains(UInt128 address, bool isV6) =>
        isV6 == IsV6 && Mask(address, PrefixLength, IsV6 ? 128 : 32) == Address;

    private static UInt128 Mask(UInt128 address, int prefix, int bits) =>
        prefix == 0 ? UInt128.Zero : address & (UInt128.MaxValue << (bits - prefix)) & (bits == 32 ? uint.MaxValue : UInt128.MaxValue);

    // IPv4 is parsed by hand so the hot path (aws:SourceIp of a request) does not allocate.
    public static bool TryParseAddress(ReadOnlySpan<char> text, out UInt128 address, out bool isV6)
    {
        address = UInt128.Zero;
        isV6 = false;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text.IndexOf(':') < 0)
        {
            // Dotted quad, four decimal octets without leading signs or spaces.
            uint value = 0, octet = 0;
            int digits = 0, dots = 0;
            foreach (var c in text)
            {
                if (char.IsAsciiDigit(c))
                {
                    octet = (octet * 10) + (uint)(c - '0');
                    if (++digits > 3 || octet > 255)
                    {
                        return false;
                    }
                }
                else if (c == '.' && digits > 0 && dots < 3)
                {
                    value = (value << 8) | octet;
                    octet = 0;
                    digits = 0;
                    dots++;
                }
                else
                {
                    return false;
                }
            }

            if (dots != 3 || digits == 0)
            {
                return false;
            }

            address = (value << 8) | octet;
            return true;
        }

        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        address = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        isV6 = true;
        return true;
    }
}
