using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Security;

namespace Portal.Tests.Api.Security;

/// <summary>
/// The per-IP sign-in limit keys on the client address; <c>X-Forwarded-For</c> may set it only when the TCP peer is a
/// configured proxy (<c>Network:TrustedProxies</c>), so a client cannot spread its guesses over invented addresses.
/// </summary>
public sealed class TrustedProxiesTests : IDisposable
{
    private const string Proxy = "10.0.0.1";
    private const string ProxyNetwork = "10.1.0.0/16";

    private readonly PortalAppFactory _inner = new();
    private readonly WebApplicationFactory<Program> _withProxies;
    private readonly WebApplicationFactory<Program> _default;

    public TrustedProxiesTests()
    {
        // One sign-in post per address per minute: a second post from the same limiter key is refused with 429.
        _default = _inner.WithWebHostBuilder(b => b.UseSetting("LocalSignIn:PermitsPerMinutePerIp", "1"));
        _withProxies = _default.WithWebHostBuilder(b =>
        {
            b.UseSetting("Network:TrustedProxies:0", Proxy);
            b.UseSetting("Network:TrustedProxies:1", ProxyNetwork);
        });
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.1.200.7")]
    public async Task SignInPost_TrustedProxyForwardsTwoClients_EachHasItsOwnLimit(string peer)
    {
        // Arrange
        var first = await PostSignInAsync(_withProxies, peer, "198.51.100.1");

        // Act
        var second = await PostSignInAsync(_withProxies, peer, "198.51.100.2");

        // Assert
        Assert.NotEqual(HttpStatusCode.TooManyRequests, first);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second);
    }

    [Fact]
    public async Task SignInPost_TrustedProxyForwardsOneClientTwice_IsLimited()
    {
        // Arrange: the control for the test above — the forwarded address really is the key, and the limit applies.
        await PostSignInAsync(_withProxies, Proxy, "198.51.100.3");

        // Act
        var second = await PostSignInAsync(_withProxies, Proxy, "198.51.100.3");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
    }

    [Fact]
    public async Task SignInPost_UntrustedPeerSpoofsForwardedFor_KeepsItsOwnLimit()
    {
        // Arrange
        await PostSignInAsync(_withProxies, "203.0.113.9", "198.51.100.4");

        // Act
        var second = await PostSignInAsync(_withProxies, "203.0.113.9", "198.51.100.5");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
    }

    [Fact]
    public async Task SignInPost_NoProxiesConfigured_LoopbackPeerCannotSpoofEither()
    {
        // Arrange: ASP.NET Core's own forwarded-headers default would trust loopback; the portal's default trusts nothing.
        await PostSignInAsync(_default, "127.0.0.1", "198.51.100.6");

        // Act
        var second = await PostSignInAsync(_default, "127.0.0.1", "198.51.100.7");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData(" 2001:db8::1 ", true)]
    [InlineData("10.1.0.0/16", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("10.1.0.0/33", false)]
    [InlineData("proxy.internal", false)]
    [InlineData("", false)]
    public void Parse_Entry_AcceptsAddressesAndNetworksOnly(string entry, bool valid)
    {
        // Act
        var network = TrustedProxies.Parse(entry);

        // Assert
        Assert.Equal(valid, network is not null);
    }

    public void Dispose()
    {
        _withProxies.Dispose();
        _default.Dispose();
        _inner.Dispose();
    }

    private static async Task<HttpStatusCode> PostSignInAsync(WebApplicationFactory<Program> factory, string peer, string forwardedFor)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = "/account/signin";
            c.Request.ContentType = "application/x-www-form-urlencoded";
            c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        });
        return (HttpStatusCode)context.Response.StatusCode;
    }
}
