using System.Net;
using System.Net.Sockets;
using Portal.Core.Federation.Oidc;

namespace Portal.Authentication.Oidc;

/// <summary>
/// Where the portal's outbound OIDC requests (discovery, JWKS, token, userinfo) may connect (SECURITY-CASES 78b).
/// </summary>
/// <remarks>
/// The rule is applied to the addresses a host name resolves to, at connect time, so a public name that resolves (or
/// is rebound) to an internal address is refused too: URL checks alone cannot see that. Refused: private (RFC 1918,
/// fc00::/7), shared (100.64/10), link-local (169.254/16 with the cloud metadata endpoint, fe80::/10), multicast,
/// unspecified and reserved addresses. Loopback is refused too unless the handler was created for loopback issuers
/// <em>and</em> the URL itself names a loopback host (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>): a local
/// development IdP works, but no public name can lead to a service on the portal's own machine. Which URLs may name
/// loopback is decided per provider before the request: the sign-in scheme of a non-loopback issuer uses the strict
/// client, and the STS key source refuses a loopback <c>jwks_uri</c> unless the provider's issuer is loopback.
/// Redirects are never followed, so an allowed host cannot forward the request elsewhere.
/// </remarks>
public static class OidcOutboundRules
{
    /// <summary>Creates the primary handler of the outbound OIDC clients.</summary>
    public static SocketsHttpHandler CreateHandler(bool allowLoopbackNames) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),

        // New connections re-resolve DNS (and re-check the address) at least this often.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, allowLoopbackNames, ct),
    };

    /// <summary>Whether a connection to <paramref name="address"/>, resolved from <paramref name="requestedHost"/>, is allowed.</summary>
    public static bool IsAllowedDestination(IPAddress address, string requestedHost, bool allowLoopbackNames)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(requestedHost);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopbackNames && NamesLoopback(requestedHost);
        }

        return !NetworkAddresses.IsInternal(address);
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowLoopbackNames, CancellationToken ct)
    {
        var host = endPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        var allowed = addresses.Where(a => IsAllowedDestination(a, host, allowLoopbackNames)).ToList();
        if (allowed.Count == 0)
        {
            throw new OidcDestinationRefusedException($"Outbound OIDC request to '{endPoint.Host}' refused: no allowed address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Connects only to the addresses that were checked, never re-resolving the name.
            await socket.ConnectAsync([.. allowed], endPoint.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool NamesLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var literal) && IPAddress.IsLoopback(literal.IsIPv4MappedToIPv6 ? literal.MapToIPv4() : literal));
}

/// <summary>An outbound OIDC connection refused by <see cref="OidcOutboundRules"/>.</summary>
public sealed class OidcDestinationRefusedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public OidcDestinationRefusedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OidcDestinationRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public OidcDestinationRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
