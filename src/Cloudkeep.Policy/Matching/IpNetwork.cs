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
            uint value = 0;
            for (var octet = 0; octet < 4; octet++)
            {
                var dot = octet < 3 ? text.IndexOf('.') : text.Length;
                if (dot <= 0 || dot > 3 || !uint.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var part) || part > 255)
                {
                    return false;
                }

                value = (value << 8) | part;
                text = octet < 3 ? text[(dot + 1)..] : [];
            }

            address = value;
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
