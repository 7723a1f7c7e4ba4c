using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Core.Federation.Saml;
using Portal.Tests.Api.Saml2;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>Fetching IdP metadata from an administrator-supplied URL (SSRF rules of SECURITY-CASES 78, limits of 18/19).</summary>
public sealed class SamlMetadataFetcherTests : IDisposable
{
    private readonly MetadataServer _server = new();

    public SamlMetadataFetcherTests() => _server.Start();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task FetchAsync_MetadataOnAllowedLoopback_ReturnsParsedMetadata()
    {
        // Arrange
        _server.Respond(Ok(ValidMetadata()));
        using var fetcher = Create();

        // Act
        var result = await fetcher.FetchAsync(_server.Url);

        // Assert
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(TestIdp.EntityId, result.Metadata!.EntityId);
        Assert.Equal(2, result.Metadata.SigningCertificates.Count);
        Assert.Equal(ValidMetadata(), result.MetadataXml);
    }

    [Fact]
    public async Task FetchAsync_FirstResolvedAddressUnreachable_TriesTheNext()
    {
        // Arrange: a dual-stack name listing ::1 first while the server listens on 127.0.0.1 only.
        _server.Respond(Ok(ValidMetadata()));
        using var fetcher = Create();
        fetcher.Resolve = (_, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback });

        // Act
        var result = await fetcher.FetchAsync(string.Create(CultureInfo.InvariantCulture, $"http://idp.test:{_server.Port}/metadata"));

        // Assert
        Assert.True(result.Succeeded, result.Error);
    }

    [Fact]
    public async Task FetchAsync_DnsAnswerMixesPublicAndInternal_IsRefused()
    {
        // Arrange: DNS rebinding offers a public and an internal address; the host is refused as a whole.
        using var fetcher = new SamlMetadataFetcher(Options.Create(new SamlMetadataFetchOptions()));
        fetcher.Resolve = (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("169.254.169.254") });

        // Act
        var result = await fetcher.FetchAsync("https://idp.example.com/metadata");

        // Assert
        Assert.Equal("The metadata host resolves to the internal address 169.254.169.254, which the portal does not contact.", result.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FetchAsync_BodyLargerThanCap_IsRefused(bool announceLength)
    {
        // Arrange: with and without Content-Length, so both the header check and the streaming cap are exercised.
        var body = ValidMetadata().Replace("</md:EntityDescriptor>", "<!--" + new string('x', 8000) + "--></md:EntityDescriptor>", StringComparison.Ordinal);
        _server.Respond(Ok(body, announceLength));
        using var fetcher = Create(o => o.MaxBytes = 4096);

        // Act
        var result = await fetcher.FetchAsync(_server.Url);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Equal("The metadata is larger than 4 KiB.", result.Error);
    }

    [Theory]
    [InlineData("<html><body>Sign in</body>", "not well-formed XML")]
    [InlineData("{\"entityID\":\"x\"}", "not well-formed XML")]
    [InlineData("<!DOCTYPE md [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"&x;\"/>", "must not contain a DOCTYPE")]
    [InlineData("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"/>", "exactly one IDPSSODescriptor")]
    public async Task FetchAsync_BodyNotUsableMetadata_IsRefusedWithTheReason(string body, string message)
    {
        // Arrange
        _server.Respond(Ok(body));
        using var fetcher = Create();

        // Act
        var result = await fetcher.FetchAsync(_server.Url);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1:{0}/metadata", "127.0.0.1")]
    [InlineData("https://localhost:{0}/metadata", null)]
    [InlineData("https://[::ffff:127.0.0.1]:{0}/metadata", "127.0.0.1")]
    public async Task FetchAsync_InternalAddressByDefault_IsRefusedBeforeConnecting(string template, string? address)
    {
        // Arrange
        using var fetcher = new SamlMetadataFetcher(Options.Create(new SamlMetadataFetchOptions()));
        var url = string.Format(CultureInfo.InvariantCulture, template, _server.Port);

        // Act
        var result = await fetcher.FetchAsync(url);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains("internal address " + address, result.Error, StringComparison.Ordinal);
        Assert.Equal(0, _server.Connections);
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:192.168.1.1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", false)]
    public void IsRefused_Address_MatchesTheInternalRule(string address, bool refused)
    {
        // Act / Assert
        Assert.Equal(refused, SamlMetadataFetcher.IsRefused(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://idp.example.com/metadata", false, "must use https")]
    [InlineData("ftp://idp.example.com/metadata", true, "absolute https URL")]
    [InlineData("https://user:pw@idp.example.com/metadata", true, "absolute https URL")]
    [InlineData("/metadata", true, "absolute https URL")]
    public void UrlError_UnfetchableUrl_NamesTheProblem(string url, bool allowInternal, string message)
    {
        // Act
        var error = SamlMetadataFetcher.UrlError(url, allowInternal);

        // Assert
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_HttpError_ReportsTheStatus()
    {
        // Arrange
        _server.Respond("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var fetcher = Create();

        // Act
        var result = await fetcher.FetchAsync(_server.Url);

        // Assert
        Assert.Equal("The metadata URL answered HTTP 404.", result.Error);
    }

    [Fact]
    public async Task FetchAsync_ServerNeverAnswers_TimesOut()
    {
        // Arrange: the listener accepts but never writes a response.
        _server.Respond(null);
        using var fetcher = Create(o => o.Timeout = TimeSpan.FromMilliseconds(300));

        // Act
        var result = await fetcher.FetchAsync(_server.Url);

        // Assert
        Assert.Equal("The metadata URL did not answer within 0.3 seconds.", result.Error);
    }

    internal static string ValidMetadata() => Saml2AppFactory.Metadata(TestIdp.EntityId, TestIdp.Idp, TestIdp.IdpNext);

    internal static string Ok(string body, bool announceLength = true) =>
        "HTTP/1.1 200 OK\r\nContent-Type: application/samlmetadata+xml; charset=utf-8\r\nConnection: close\r\n"
        + (announceLength ? string.Create(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n") : string.Empty)
        + "\r\n" + body;

    private static SamlMetadataFetcher Create(Action<SamlMetadataFetchOptions>? change = null)
    {
        var options = new SamlMetadataFetchOptions { AllowInternalAddresses = true };
        change?.Invoke(options);
        return new SamlMetadataFetcher(Options.Create(options));
    }
}

/// <summary>A one-response-at-a-time HTTP/1.1 server on a free loopback port, answering every request with a canned response.</summary>
internal sealed class MetadataServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private string? _response = string.Empty;
    private Task _loop = Task.CompletedTask;
    private int _connections;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/metadata");

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The raw response for the next requests; null accepts and never answers.</summary>
    public void Respond(string? rawResponse) => _response = rawResponse;

    public void Start()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
        foreach (var client in _open)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _open.Add(client);
            var stream = client.GetStream();
            var request = new byte[8192];
            _ = await stream.ReadAsync(request, _stop.Token);
            if (_response is { } response)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
    }
}
