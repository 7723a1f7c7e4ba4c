using System.Globalization;
using System.Net;

namespace Portal.Core.Policies;

/// <summary>An IPv4 or IPv6 CIDR block of an IpAddress/NotIpAddress condition (STS-SPEC §7.3).</summary>
internal sealed class IpCidr
{
    private readonly byte[] _network;
    private readonly int _prefixLength;

    private IpCidr(byte[] network, int prefixLength)
    {
        _network = network;
        _prefixLength = prefixLength;
    }

    /// <summary>Parses <c>ADDRESS[/PREFIX]</c>; a bare address is a single host (/32 or /128). Host bits are ignored.</summary>
    public static IpCidr? TryParse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)
            || address.AddressFamily is not (System.Net.Sockets.AddressFamily.InterNetwork or System.Net.Sockets.AddressFamily.InterNetworkV6))
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        var prefix = bytes.Length * 8;
        if (slash >= 0)
        {
            var prefixText = text.AsSpan(slash + 1);
            if (prefixText.IsEmpty || prefixText.Length > 3 || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix > bytes.Length * 8)
            {
                return null;
            }
        }

        return new IpCidr(bytes, prefix);
    }

    /// <summary>True when <paramref name="value"/> is an address inside the block; IPv4-mapped IPv6 addresses count as IPv4.</summary>
    public bool Contains(string value)
    {
        if (!IPAddress.TryParse(value, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && _network.Length == 4)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written) || written != _network.Length)
        {
            return false;
        }

        var fullBytes = _prefixLength / 8;
        if (!bytes[..fullBytes].SequenceEqual(_network.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remainingBits = _prefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (bytes[fullBytes] & mask) == (_network[fullBytes] & mask);
    }
}
