using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Portal.Security;

/// <summary>Network settings (section <c>Network</c>).</summary>
public sealed class NetworkOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Network";

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR networks) whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed.
    /// Empty (the default) ignores those headers: the client is the TCP peer.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];
}

/// <summary>
/// Forwarded headers from configured proxies only. The client address feeds the per-IP sign-in limit and
/// <c>aws:SourceIp</c>, and the scheme decides whether cookies are Secure, so a header from anyone else must change
/// nothing. ASP.NET Core's own default trusts loopback; here nothing is trusted unless configured.
/// </summary>
public static class TrustedProxies
{
    /// <summary>Adds the forwarded-headers middleware when <c>Network:TrustedProxies</c> lists any proxy; place it first.</summary>
    public static IApplicationBuilder UsePortalForwardedHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var proxies = app.ApplicationServices.GetRequiredService<IOptions<NetworkOptions>>().Value.TrustedProxies;
        if (proxies.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,

            // Walk the chain from the right while each hop is a trusted proxy; the first other address is the client.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in proxies)
        {
            options.KnownIPNetworks.Add(Parse(entry) ?? throw new InvalidOperationException($"Network:TrustedProxies: '{entry}' is not an IP address or CIDR network."));
        }

        return app.UseForwardedHeaders(options);
    }

    /// <summary>An address (as a one-address network) or a CIDR network; null when <paramref name="entry"/> is neither.</summary>
    internal static System.Net.IPNetwork? Parse(string? entry)
    {
        var text = entry?.Trim();
        if (IPAddress.TryParse(text, out var address))
        {
            return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        return System.Net.IPNetwork.TryParse(text, out var network) ? network : null;
    }
}
