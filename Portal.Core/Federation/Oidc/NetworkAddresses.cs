using System.Net;
using System.Net.Sockets;

namespace Portal.Core.Federation.Oidc;

/// <summary>The one rule for which addresses an outbound identity-provider request must never reach (SECURITY-CASES 78).</summary>
public static class NetworkAddresses
{
    /// <summary>
    /// True for private, shared, link-local (cloud metadata), unique-local, multicast, reserved and unspecified
    /// addresses. Loopback is not covered here: callers decide it on their own rule.
    /// </summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC // fc00::/7 unique local, including the EC2 IPv6 metadata fd00:ec2::254
                || address.Equals(IPAddress.IPv6Any);
        }

        var v4 = address.GetAddressBytes();
        return v4[0] == 0 // 0.0.0.0/8
            || v4[0] == 10
            || (v4[0] == 100 && (v4[1] & 0xC0) == 64) // 100.64.0.0/10 shared address space
            || (v4[0] == 169 && v4[1] == 254) // link-local, cloud metadata
            || (v4[0] == 172 && (v4[1] & 0xF0) == 16)
            || (v4[0] == 192 && v4[1] == 168)
            || v4[0] >= 224; // multicast and reserved
    }
}
