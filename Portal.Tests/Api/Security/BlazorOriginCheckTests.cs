using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Portal.Security;

namespace Portal.Tests.Api.Security;

/// <summary>
/// SECURITY-CASES 104b: the Blazor circuit (negotiate and WebSocket upgrade) is refused to pages of another origin, even
/// when the browser attaches the person's cookies (the clients here are signed-in administrators).
/// </summary>
public sealed class BlazorOriginCheckTests(AdminAppFactory app) : IClassFixture<AdminAppFactory>
{
    private const string OwnOrigin = "http://localhost";
    private const string EvilOrigin = "https://evil.test";

    public static TheoryData<string?, bool> Origins => new()
    {
        { null, true },
        { "http://portal.test", true },
        { "HTTP://Portal.Test:80", true },
        { "https://extra.example.com", true },
        { "https://extra.example.com:443", true },
        { "https://portal.test", false },
        { "http://portal.test:8080", false },
        { "http://portal.test.evil.test", false },
        { "https://evil.test", false },
        { "null", false },
        { "http://portal.test/path", false },
        { "http://user@portal.test", false },
        { "file://portal.test", false },
        { "http://portal.test, http://portal.test", false },
    };

    [Fact]
    public async Task PostNegotiate_OwnOrigin_Succeeds()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        using var response = await NegotiateAsync(client, OwnOrigin);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostNegotiate_ForeignOrigin_IsForbidden()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        using var response = await NegotiateAsync(client, EvilOrigin);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task WebSocketUpgrade_OwnOrigin_Connects()
    {
        // Arrange
        var token = await NegotiateTokenAsync();

        // Act
        using var socket = await ConnectAsync(token, OwnOrigin);

        // Assert
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task WebSocketUpgrade_ForeignOrigin_IsForbidden()
    {
        // Arrange: a valid connection token, so only the Origin differs from the successful case.
        var token = await NegotiateTokenAsync();

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ConnectAsync(token, EvilOrigin));

        // Assert
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Origins))]
    public void IsAllowed_Origin_MatchesOwnOrConfiguredOriginsOnly(string? origin, bool allowed)
    {
        // Arrange
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("portal.test");
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin.Split(", ");
        }

        // Act
        var result = BlazorOriginCheck.IsAllowed(context.Request, ["https://extra.example.com"]);

        // Assert
        Assert.Equal(allowed, result);
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    private async Task<string> NegotiateTokenAsync()
    {
        using var client = await app.CreateClientAsync(TestPerson.Administrator);
        using var response = await NegotiateAsync(client, OwnOrigin);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("connectionToken").GetString()!;
    }

    private async Task<WebSocket> ConnectAsync(string token, string origin)
    {
        var client = app.Factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = origin;
        return await client.ConnectAsync(new Uri("ws://localhost/_blazor?id=" + Uri.EscapeDataString(token)), CancellationToken.None);
    }
}
