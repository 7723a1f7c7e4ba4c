using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Core.Federation.Oidc;

namespace Portal.Core.Federation.Saml;

/// <summary>Limits of <see cref="SamlMetadataFetcher"/> (configuration section <c>Saml2:MetadataFetch</c>).</summary>
public sealed class SamlMetadataFetchOptions
{
    /// <summary>
    /// Allow loopback, private, link-local and other internal addresses, and plain http (SECURITY-CASES 78 applied to
    /// metadata URLs). Default false; set it only for an IdP on the operator's own network or in tests.
    /// </summary>
    public bool AllowInternalAddresses { get; set; }

    /// <summary>The largest accepted document. Default and maximum <see cref="SamlMetadata.MaxMetadataCharacters"/> bytes.</summary>
    public int MaxBytes { get; set; } = SamlMetadata.MaxMetadataCharacters;

    /// <summary>How long the whole fetch may take. Default ten seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The outcome of fetching IdP metadata: the document and its parse, or a message for the administrator.</summary>
/// <param name="MetadataXml">The fetched document, when it is usable IdP metadata.</param>
/// <param name="Metadata">The parsed document.</param>
/// <param name="Error">Why the URL gave no usable metadata.</param>
public sealed record SamlMetadataFetchResult(string? MetadataXml, SamlMetadata? Metadata, string? Error)
{
    /// <summary>True when <see cref="MetadataXml"/> and <see cref="Metadata"/> are set.</summary>
    public bool Succeeded => Metadata is not null;

    internal static SamlMetadataFetchResult Fail(string error) => new(null, null, error);
}

/// <summary>
/// Downloads an IdP's SAML metadata (SAML Metadata §4.1 "well-known location" publishing) for the admin pages. The
/// server side of an administrator-supplied URL is an SSRF vector, so: https only, every address the host resolves
/// to is checked at connect time (no DNS-rebinding window) against <see cref="NetworkAddresses.IsInternal"/> and
/// loopback, no proxy, at most three redirects (each re-checked), a size cap and a timeout; the document is parsed by
/// <see cref="SamlMetadata.TryParse"/> (DTDs prohibited).
/// </summary>
public sealed class SamlMetadataFetcher : IDisposable
{
    private static readonly HttpRequestOptionsKey<RefusedAddress> RefusedKey = new("Portal.SamlMetadataFetcher.Refused");
    private readonly SamlMetadataFetchOptions _options;
    private readonly HttpClient _client;

    /// <summary>Creates the fetcher with its own connection pool.</summary>
    public SamlMetadataFetcher(IOptions<SamlMetadataFetchOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            UseCookies = false,
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.Accept.ParseAdd("application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8");
    }

    /// <summary>Name resolution (tests replace it to script DNS answers).</summary>
    internal Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; set; } = Dns.GetHostAddressesAsync;

    /// <summary>Fetches and parses the metadata at <paramref name="url"/>; never throws for network or content problems.</summary>
    public async Task<SamlMetadataFetchResult> FetchAsync(string url, CancellationToken ct = default)
    {
        if (UrlError(url, _options.AllowInternalAddresses) is { } invalid)
        {
            return SamlMetadataFetchResult.Fail(invalid);
        }

        var refused = new RefusedAddress();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url.Trim()));
        request.Options.Set(RefusedKey, refused);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return SamlMetadataFetchResult.Fail(string.Create(CultureInfo.InvariantCulture, $"The metadata URL answered HTTP {(int)response.StatusCode}."));
            }

            var max = Math.Min(_options.MaxBytes, SamlMetadata.MaxMetadataCharacters);
            if (response.Content.Headers.ContentLength > max)
            {
                return SamlMetadataFetchResult.Fail(TooLarge(max));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var bytes = await ReadCappedAsync(stream, max, timeout.Token).ConfigureAwait(false);
            if (bytes is null)
            {
                return SamlMetadataFetchResult.Fail(TooLarge(max));
            }

            var xml = Decode(bytes);
            return SamlMetadata.TryParse(xml, out var metadata, out var error)
                ? new SamlMetadataFetchResult(xml, metadata, null)
                : SamlMetadataFetchResult.Fail(error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SamlMetadataFetchResult.Fail(string.Create(CultureInfo.InvariantCulture, $"The metadata URL did not answer within {_options.Timeout.TotalSeconds:0.#} seconds."));
        }
        catch (HttpRequestException ex)
        {
            return SamlMetadataFetchResult.Fail(refused.Address is { } address
                ? $"The metadata host resolves to the internal address {address}, which the portal does not contact."
                : "Could not fetch the metadata: " + ex.Message);
        }
    }

    /// <summary>Why <paramref name="url"/> cannot be fetched (not absolute http(s), user info, http without the allowance), or null.</summary>
    public static string? UrlError(string? url, bool allowInternalAddresses)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.UserInfo.Length > 0)
        {
            return "Enter an absolute https URL, e.g. https://idp.example.com/metadata.";
        }

        return uri.Scheme == Uri.UriSchemeHttp && !allowInternalAddresses ? "The metadata URL must use https." : null;
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    /// <summary>Loopback and every <see cref="NetworkAddresses.IsInternal"/> range, IPv4-mapped IPv6 included.</summary>
    internal static bool IsRefused(IPAddress address)
    {
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return IPAddress.IsLoopback(normalized) || NetworkAddresses.IsInternal(normalized);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Resolve(host, ct).ConfigureAwait(false);

        // Any internal answer refuses the host: a mixed answer is how DNS-rebinding attacks pick the internal address.
        if (!_options.AllowInternalAddresses && addresses.FirstOrDefault(IsRefused) is { } internalAddress)
        {
            if (context.InitialRequestMessage.Options.TryGetValue(RefusedKey, out var refused))
            {
                refused.Address = internalAddress.IsIPv4MappedToIPv6 ? internalAddress.MapToIPv4() : internalAddress;
            }

            throw new IOException("Refused internal address.");
        }

        // Every address was checked above, so any of them may be tried (a dual-stack name often lists ::1 first).
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
        }

        throw new IOException("Could not connect to the metadata host.", last);
    }

    /// <summary>The body, or null when it exceeds <paramref name="max"/> bytes (read no further than one byte past the cap).</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream stream, int max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static string TooLarge(int max) =>
        string.Create(CultureInfo.InvariantCulture, $"The metadata is larger than {max / 1024} KiB.");

    private sealed class RefusedAddress
    {
        public IPAddress? Address { get; set; }
    }
}
