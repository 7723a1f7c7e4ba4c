using System.Net;
using Portal.Authentication.Oidc;

namespace Portal.Tests.Api.Oidc;

public sealed class OidcOutboundRulesTests
{
    [Theory]
    [InlineData("93.184.216.34", "idp.example.com", false, true)]
    [InlineData("2606:2800:220:1::1", "idp.example.com", false, true)]
    [InlineData("169.254.169.254", "idp.example.com", true, false)] // cloud metadata
    [InlineData("10.1.2.3", "idp.example.com", true, false)]
    [InlineData("172.16.0.1", "idp.example.com", true, false)]
    [InlineData("192.168.1.1", "idp.example.com", true, false)]
    [InlineData("100.64.0.1", "idp.example.com", true, false)]
    [InlineData("0.0.0.0", "idp.example.com", true, false)]
    [InlineData("fd00:ec2::254", "idp.example.com", true, false)] // EC2 IPv6 metadata
    [InlineData("fe80::1", "idp.example.com", true, false)]
    [InlineData("::ffff:169.254.169.254", "idp.example.com", true, false)]
    [InlineData("127.0.0.1", "idp.example.com", true, false)] // a public name resolving to loopback (DNS rebinding)
    [InlineData("127.0.0.1", "127.0.0.1", false, false)] // loopback issuers need the loopback client
    [InlineData("127.0.0.1", "127.0.0.1", true, true)]
    [InlineData("127.0.0.1", "localhost", true, true)]
    [InlineData("::1", "::1", true, true)]
    public void IsAllowedDestination_AddressAndRequestedHost_MatchesRule(string address, string host, bool allowLoopbackNames, bool expected)
    {
        // Act
        var allowed = OidcOutboundRules.IsAllowedDestination(IPAddress.Parse(address), host, allowLoopbackNames);

        // Assert
        Assert.Equal(expected, allowed);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/jwks")]
    [InlineData("http://127.0.0.1:9/jwks")]
    public async Task CreateHandler_InternalDestination_RefusedBeforeConnecting(string url)
    {
        // Arrange
        using var client = new HttpClient(OidcOutboundRules.CreateHandler(allowLoopbackNames: false));

        // Act
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(url)));

        // Assert
        Assert.IsType<OidcDestinationRefusedException>(error.InnerException);
    }

    [Fact]
    public void CreateHandler_Always_DoesNotFollowRedirectsOrKeepCookies()
    {
        // Act
        using var handler = OidcOutboundRules.CreateHandler(allowLoopbackNames: true);

        // Assert: SECURITY-CASES 78b, a redirect could lead the request anywhere.
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.False(handler.UseProxy);
    }
}
