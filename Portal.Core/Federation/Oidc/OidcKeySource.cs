using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Portal.Core.Sts;

namespace Portal.Core.Federation.Oidc;

/// <summary>
/// Fetches and caches the signing keys of OIDC issuers: <c>ISSUER/.well-known/openid-configuration</c>, then its
/// <c>jwks_uri</c> (STS-SPEC §1.3). Keys are cached per issuer and never shared across issuers; an unknown
/// <c>kid</c> refetches at most once per <see cref="OidcOptions.UnknownKidRefreshInterval"/>.
/// </summary>
/// <remarks>
/// Responses are size-capped, each request has <see cref="OidcOptions.RequestTimeout"/> measured on the
/// <see cref="TimeProvider"/>, redirects are refused, and a <c>jwks_uri</c> must be https and may not be a private,
/// link-local or loopback IP literal (SECURITY-CASES case 78). Host names that resolve to internal addresses can
/// only be stopped at connect time: give this class an <see cref="HttpClient"/> whose handler does that.
/// The clients are never disposed here, so an <c>IHttpClientFactory</c> may supply them.
/// </remarks>
public sealed class OidcKeySource
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    private readonly Func<HttpClient> _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly OidcOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IssuerState> _issuers = new(StringComparer.Ordinal);

    /// <summary>Creates a key source that asks <paramref name="httpClient"/> for a client per fetch.</summary>
    public OidcKeySource(Func<HttpClient> httpClient, TimeProvider timeProvider, IOptions<OidcOptions> options, ILogger<OidcKeySource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        options.Value.Validate();
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Creates a key source over one long-lived <paramref name="httpClient"/>.</summary>
    public OidcKeySource(HttpClient httpClient, TimeProvider timeProvider, IOptions<OidcOptions> options, ILogger<OidcKeySource>? logger = null)
        : this(ReturnClient(httpClient), timeProvider, options, logger)
    {
    }

    /// <summary>
    /// The issuer's keys that may verify a token with <paramref name="kid"/> (all keys when the token has no kid).
    /// An empty list means no key matches even after any refresh the rate limit allows; a failure carries
    /// <see cref="StsErrorCode.IdpCommunicationError"/>.
    /// </summary>
    public async Task<StsOutcome<IReadOnlyList<JsonWebKey>>> GetSigningKeysAsync(OidcProviderConfig provider, string? kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var state = _issuers.GetOrAdd(provider.Issuer, static _ => new IssuerState());

        var snapshot = state.Current;
        if (snapshot is null || _timeProvider.GetUtcNow() - snapshot.FetchedAt >= _options.KeyCacheLifetime)
        {
            var fetched = await FetchSharedAsync(state, provider, s => s.Current is null || _timeProvider.GetUtcNow() - s.Current.FetchedAt >= _options.KeyCacheLifetime)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!fetched.Succeeded)
            {
                return fetched.Error;
            }

            snapshot = fetched.Value;
        }

        var keys = snapshot.Find(kid);
        if (keys.Count > 0 || kid is null)
        {
            return StsOutcome<IReadOnlyList<JsonWebKey>>.Success(keys);
        }

        // SECURITY-CASES case 68b: an unknown kid may mean the IdP rotated keys, but kids are attacker input,
        // so it refetches only when the last attempt for this issuer is old enough.
        var refreshed = await FetchSharedAsync(state, provider, s => _timeProvider.GetUtcNow() - s.LastAttemptAt >= _options.UnknownKidRefreshInterval)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return refreshed.Succeeded
            ? StsOutcome<IReadOnlyList<JsonWebKey>>.Success(refreshed.Value.Find(kid))
            : refreshed.Error;
    }

    private static Func<HttpClient> ReturnClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    /// <summary>Starts a fetch when <paramref name="needed"/> still holds, or joins the one in flight.</summary>
    private Task<StsOutcome<KeySetSnapshot>> FetchSharedAsync(IssuerState state, OidcProviderConfig provider, Func<IssuerState, bool> needed)
    {
        lock (state.Gate)
        {
            if (state.InFlight is { IsCompleted: false } inFlight)
            {
                return inFlight;
            }

            if (!needed(state) && state.Current is { } current)
            {
                OidcLog.RefreshLimited(_logger, provider.Issuer);
                return Task.FromResult(StsOutcome<KeySetSnapshot>.Success(current));
            }

            state.LastAttemptAt = _timeProvider.GetUtcNow();

            // Note: the fetch is not tied to any caller's token; callers stop waiting with WaitAsync, and the
            // fetch ends by itself within the request timeouts.
            state.InFlight = FetchAndStoreAsync(state, provider);
            return state.InFlight;
        }
    }

    private async Task<StsOutcome<KeySetSnapshot>> FetchAndStoreAsync(IssuerState state, OidcProviderConfig provider)
    {
        await Task.Yield();
        var outcome = await FetchAsync(provider).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            state.Current = outcome.Value;
            OidcLog.Fetched(_logger, provider.Issuer, outcome.Value.Keys.Count);
        }
        else
        {
            OidcLog.FetchFailed(_logger, provider.Issuer, outcome.Error.Message);
        }

        return outcome;
    }

    private async Task<StsOutcome<KeySetSnapshot>> FetchAsync(OidcProviderConfig provider)
    {
        var client = _httpClient();

        // OIDC Discovery §4: the configuration lives at the issuer with "/.well-known/openid-configuration" appended.
        var discoveryUri = new Uri(provider.Issuer.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute);
        var discovery = await GetJsonAsync(client, discoveryUri, _options.MaxDiscoveryDocumentBytes, "discovery document").ConfigureAwait(false);
        if (!discovery.Succeeded)
        {
            return discovery.Error;
        }

        Uri jwksUri;
        using (var document = discovery.Value)
        {
            var root = document.RootElement;

            // OIDC Discovery §4.3: the issuer in the document must be identical to the configured one.
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("issuer", out var issuer) || issuer.ValueKind != JsonValueKind.String
                || !string.Equals(issuer.GetString(), provider.Issuer, StringComparison.Ordinal))
            {
                return Failure($"The discovery document of {provider.Issuer} does not name that issuer.");
            }

            if (!root.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out jwksUri!))
            {
                return Failure($"The discovery document of {provider.Issuer} has no valid jwks_uri.");
            }
        }

        if (!IsAllowedJwksUri(jwksUri, provider.AllowHttpOnLoopback))
        {
            return Failure($"The jwks_uri of {provider.Issuer} is not an allowed https URL.");
        }

        var jwksDocument = await GetJsonAsync(client, jwksUri, _options.MaxJwksBytes, "JWKS").ConfigureAwait(false);
        if (!jwksDocument.Succeeded)
        {
            return jwksDocument.Error;
        }

        string jwksJson;
        using (var document = jwksDocument.Value)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keysElement) || keysElement.ValueKind != JsonValueKind.Array
                || keysElement.GetArrayLength() > _options.MaxKeys)
            {
                return Failure($"The JWKS of {provider.Issuer} is not a key set of at most {_options.MaxKeys} keys.");
            }

            jwksJson = document.RootElement.GetRawText();
        }

        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(jwksJson);
        }
        catch (ArgumentException)
        {
            return Failure($"The JWKS of {provider.Issuer} cannot be read.");
        }

        // RFC 7517 §4.2/§4.3 and SECURITY-CASES case 66: only asymmetric signature keys; an "oct" key in a JWKS
        // would turn public material into an HMAC secret.
        var keys = set.Keys
            .Where(k => k.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve)
            .Where(k => k.Use is null || k.Use == JsonWebKeyUseNames.Sig)
            .ToList();
        return new KeySetSnapshot(keys, _timeProvider.GetUtcNow());
    }

    private async Task<StsOutcome<JsonDocument>> GetJsonAsync(HttpClient client, Uri uri, int maxBytes, string what)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _timeProvider);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Failure($"The {what} request to {uri.Host} answered {(int)response.StatusCode}.");
            }

            // SECURITY-CASES case 78b: a redirect could lead the fetch anywhere; a handler that follows redirects
            // shows it by a different final request URI.
            if (response.RequestMessage?.RequestUri is { } final && final != uri)
            {
                return Failure($"The {what} request to {uri.Host} was redirected.");
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return Failure($"The {what} of {uri.Host} is larger than {maxBytes} bytes.");
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[maxBytes + 1];
                var length = 0;
                int read;
                while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false)) > 0)
                {
                    length += read;
                }

                if (length > maxBytes)
                {
                    return Failure($"The {what} of {uri.Host} is larger than {maxBytes} bytes.");
                }

                return JsonDocument.Parse(buffer.AsMemory(0, length), JsonOptions);
            }
        }
        catch (OperationCanceledException)
        {
            return Failure($"The {what} request to {uri.Host} timed out.");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return Failure($"The {what} of {uri.Host} could not be read ({e.GetType().Name}).");
        }
    }

    /// <summary>SECURITY-CASES case 78b: https only, and no IP literal that points inside the network.</summary>
    internal static bool IsAllowedJwksUri(Uri uri, bool allowHttpOnLoopback)
    {
        if (!OidcProviderConfig.IsAllowedScheme(uri, allowHttpOnLoopback) || uri.UserInfo.Length > 0 || (uri.IsLoopback && !allowHttpOnLoopback))
        {
            return false;
        }

        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || !IPAddress.TryParse(uri.DnsSafeHost, out var address))
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowHttpOnLoopback;
        }

        return !NetworkAddresses.IsInternal(address);
    }

    private static StsError Failure(string message) => new(StsErrorCode.IdpCommunicationError, message);

    /// <summary>One issuer's cache entry; <see cref="Gate"/> guards the fetch bookkeeping.</summary>
    private sealed class IssuerState
    {
        public Lock Gate { get; } = new();

        public volatile KeySetSnapshot? Current;

        public DateTimeOffset LastAttemptAt { get; set; } = DateTimeOffset.MinValue;

        public Task<StsOutcome<KeySetSnapshot>>? InFlight { get; set; }
    }

    /// <summary>The usable keys of one JWKS fetch.</summary>
    private sealed record KeySetSnapshot(IReadOnlyList<JsonWebKey> Keys, DateTimeOffset FetchedAt)
    {
        /// <summary>Keys with exactly this kid (ordinal), or all keys for a token without kid.</summary>
        public IReadOnlyList<JsonWebKey> Find(string? kid) =>
            kid is null ? Keys : Keys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)).ToList();
    }
}
