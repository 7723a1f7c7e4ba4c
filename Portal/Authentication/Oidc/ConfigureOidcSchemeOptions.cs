using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Portal.Authentication.Oidc;

/// <summary>
/// Configures the <see cref="OpenIdConnectOptions"/> of each <c>oidc:</c> scheme from its provider record: code flow
/// with PKCE, state and nonce, exact issuer, asymmetric algorithms only, the portal cookie as sign-in scheme.
/// </summary>
internal sealed class ConfigureOidcSchemeOptions : IConfigureNamedOptions<OpenIdConnectOptions>
{
    /// <summary>
    /// SECURITY-CASES 65/66: only asymmetric JWS algorithms; <c>none</c> and HMAC (whose key would be public JWKS
    /// material) never verify.
    /// </summary>
    internal static readonly IReadOnlyList<string> ValidAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly OidcProviderSchemes _schemes;
    private readonly OidcSignInEvents _events;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;

    public ConfigureOidcSchemeOptions(OidcProviderSchemes schemes, OidcSignInEvents events, IHttpClientFactory httpClients, TimeProvider time)
    {
        _schemes = schemes;
        _events = events;
        _httpClients = httpClients;
        _time = time;
    }

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || _schemes.FindByScheme(name) is not { } provider)
        {
            return;
        }

        options.Authority = provider.Issuer;
        options.ClientId = provider.ClientId;
        options.ClientSecret = provider.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        options.Scope.Clear();
        options.Scope.Add("openid");
        options.Scope.Add("profile");
        options.Scope.Add("email");
        if (provider.GroupsClaim is not null)
        {
            options.Scope.Add("groups");
            options.ClaimActions.MapJsonKey(provider.GroupsClaim, provider.GroupsClaim);
        }

        options.GetClaimsFromUserInfoEndpoint = true;
        options.MapInboundClaims = false;
        options.SaveTokens = false;
        options.RequireHttpsMetadata = !provider.IsLoopback;
        options.CallbackPath = provider.CallbackPath;
        options.SignedOutCallbackPath = OidcSignInDefaults.SignedOutCallbackPathPrefix + provider.Key;
        options.RemoteSignOutPath = OidcSignInDefaults.RemoteSignOutPathPrefix + provider.Key;
        options.SignInScheme = PortalAuthenticationDefaults.CookieScheme;
        options.ClaimsIssuer = provider.ProviderArn;
        options.TimeProvider = _time;
        options.DisableTelemetry = true;
        options.Backchannel = _httpClients.CreateClient(provider.IsLoopback ? OidcSignInDefaults.LoopbackHttpClientName : OidcSignInDefaults.HttpClientName);
        options.Backchannel.Timeout = options.BackchannelTimeout;
        options.Events = _events.Create();

        var parameters = options.TokenValidationParameters;
        parameters.ValidAlgorithms = ValidAlgorithms;
        parameters.RequireSignedTokens = true;
        parameters.RequireExpirationTime = true;
        parameters.ValidateLifetime = true;
        parameters.ClockSkew = TimeSpan.FromMinutes(1);
        parameters.ValidAudience = provider.ClientId;
        parameters.NameClaimType = "name";

        // SECURITY-CASES 69a/72b: the handler would also accept the discovery document's issuer; only the registered
        // issuer, compared exactly, is valid.
        var issuer = provider.Issuer;
        parameters.IssuerValidator = (tokenIssuer, _, _) => string.Equals(tokenIssuer, issuer, StringComparison.Ordinal)
            ? tokenIssuer
            : throw new SecurityTokenInvalidIssuerException("The token's issuer is not the provider's registered issuer.");
    }
}
