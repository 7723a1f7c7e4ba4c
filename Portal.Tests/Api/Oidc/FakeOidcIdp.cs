using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.IdentityModel.Tokens;

namespace Portal.Tests.Api.Oidc;

/// <summary>
/// A small in-process OIDC provider (TestServer) serving several issuers by host: discovery, JWKS, an authorize
/// endpoint that at once answers with a code for a fixed user (form_post), a token endpoint that checks the client
/// secret and the PKCE verifier (RFC 7636 §4.6) and issues an RS256 ID token with the request's nonce, and userinfo.
/// </summary>
internal sealed class FakeOidcIdp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeOidcIssuer> _issuers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _requests = new();

    private FakeOidcIdp(WebApplication app) => _app = app;

    /// <summary>Every request as <c>host/path</c>.</summary>
    internal IReadOnlyList<string> Requests => [.. _requests];

    internal static async Task<FakeOidcIdp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var idp = new FakeOidcIdp(app);
        app.Run(idp.HandleAsync);
        await app.StartAsync();
        return idp;
    }

    internal FakeOidcIssuer AddIssuer(string issuer, string clientId = "portal-client", string clientSecret = "portal-secret")
    {
        var fake = new FakeOidcIssuer(issuer, clientId, clientSecret);
        _issuers[new Uri(issuer).Host] = fake;
        return fake;
    }

    /// <summary>A handler whose requests, to any host, reach this server (the portal's backchannel in tests).</summary>
    internal HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    /// <summary>The "browser" at the IdP: no redirects followed.</summary>
    internal HttpClient CreateBrowser() => new(CreateHandler()) { BaseAddress = new Uri("https://idp.invalid") };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        _requests.Enqueue(context.Request.Host.Host + context.Request.Path);
        if (!_issuers.TryGetValue(context.Request.Host.Host, out var issuer))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var path = context.Request.Path.Value ?? string.Empty;
        var basePath = new Uri(issuer.Issuer).AbsolutePath.TrimEnd('/');
        switch (path[basePath.Length..])
        {
            case "/.well-known/openid-configuration":
                await context.Response.WriteAsJsonAsync(issuer.Discovery());
                break;
            case "/jwks":
                await context.Response.WriteAsJsonAsync(new JsonObject { ["keys"] = new JsonArray(issuer.Key.PublicJwk()) });
                break;
            case "/authorize":
                await issuer.AuthorizeAsync(context);
                break;
            case "/token":
                await issuer.TokenAsync(context);
                break;
            case "/userinfo":
                await issuer.UserInfoAsync(context);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }
}

/// <summary>One issuer of <see cref="FakeOidcIdp"/>: its client, its one user, and the knobs tests turn.</summary>
internal sealed class FakeOidcIssuer
{
    private readonly ConcurrentDictionary<string, AuthorizeRequest> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _accessTokens = new(StringComparer.Ordinal);

    internal FakeOidcIssuer(string issuer, string clientId, string clientSecret)
    {
        Issuer = issuer;
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    internal string Issuer { get; }

    internal string ClientId { get; }

    internal string ClientSecret { get; set; }

    internal RsaTestKey Key { get; } = new("fake-rs256");

    internal string Subject { get; set; } = "user-0001";

    internal JsonArray Amr { get; set; } = ["pwd", "mfa"];

    /// <summary>Userinfo claims besides sub.</summary>
    internal JsonObject UserInfo { get; set; } = new()
    {
        ["name"] = "Alice Admin",
        ["email"] = "alice@corp.test",
        ["groups"] = new JsonArray("portal-admins", "staff"),
    };

    /// <summary>Changes the ID token claims after they are built (wrong iss, nonce …).</summary>
    internal Action<JsonObject>? MutateIdToken { get; set; }

    /// <summary>Signs the ID token: RS256 with <see cref="Key"/> unless replaced (alg none, HS256 …).</summary>
    internal Func<JsonObject, string>? SignIdToken { get; set; }

    /// <summary>The last authorize request's query.</summary>
    internal IQueryCollection? LastAuthorizeQuery { get; private set; }

    /// <summary>Token requests refused by the client-secret or PKCE check.</summary>
    internal int RefusedTokenRequests { get; private set; }

    internal JsonObject Discovery() => new()
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = Issuer.TrimEnd('/') + "/authorize",
        ["token_endpoint"] = Issuer.TrimEnd('/') + "/token",
        ["userinfo_endpoint"] = Issuer.TrimEnd('/') + "/userinfo",
        ["jwks_uri"] = Issuer.TrimEnd('/') + "/jwks",
        ["response_types_supported"] = new JsonArray("code"),
        ["response_modes_supported"] = new JsonArray("query", "form_post"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post"),
    };

    /// <summary>A signed ID token for this issuer's user, as the token endpoint would issue it (for the STS API tests).</summary>
    internal string IssueIdToken(string? nonce = null, Action<JsonObject>? mutate = null)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = Subject,
            ["aud"] = ClientId,
            ["iat"] = now,
            ["exp"] = now + 300,
            ["amr"] = Amr.DeepClone(),
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        MutateIdToken?.Invoke(claims);
        mutate?.Invoke(claims);
        return (SignIdToken ?? Key.SignRs256)(claims);
    }

    internal async Task AuthorizeAsync(HttpContext context)
    {
        var q = context.Request.Query;
        LastAuthorizeQuery = q;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new AuthorizeRequest(q["redirect_uri"]!, q["code_challenge"]!, q["nonce"]);
        var fields = new Dictionary<string, string> { ["code"] = code, ["state"] = q["state"].ToString() };
        if (q["response_mode"] == "form_post")
        {
            var inputs = string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{f.Key}\" value=\"{WebUtility.HtmlEncode(f.Value)}\"/>"));
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"<html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{WebUtility.HtmlEncode(q["redirect_uri"])}\">{inputs}</form></body></html>");
            return;
        }

        context.Response.Redirect(q["redirect_uri"] + "?" + string.Join('&', fields.Select(f => f.Key + "=" + Uri.EscapeDataString(f.Value))));
    }

    internal async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var challengeOk = _codes.TryRemove(form["code"].ToString(), out var request)
            && form["grant_type"] == "authorization_code"
            && form["redirect_uri"] == request.RedirectUri
            && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) == request.CodeChallenge;
        if (!challengeOk || form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            RefusedTokenRequests++;
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = challengeOk ? "invalid_client" : "invalid_grant" });
            return;
        }

        var accessToken = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        _accessTokens[accessToken] = Subject;
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["id_token"] = IssueIdToken(request!.Nonce),
        });
    }

    internal async Task UserInfoAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_accessTokens.TryGetValue(header[7..], out var subject))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = (JsonObject)UserInfo.DeepClone();
        body["sub"] = subject;
        await context.Response.WriteAsJsonAsync(body);
    }

    private sealed record AuthorizeRequest(string RedirectUri, string CodeChallenge, string? Nonce);
}

/// <summary>An RSA signing key and the JWS helpers the tests need, including forged algorithms (cases 65, 66).</summary>
internal sealed class RsaTestKey(string kid)
{
    private readonly RSA _rsa = RSA.Create(2048);

    internal string KeyId { get; } = kid;

    internal JsonObject PublicJwk()
    {
        var p = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
    }

    internal string SignRs256(JsonObject claims)
    {
        var input = SigningInput(new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId, ["typ"] = "JWT" }, claims);
        return input + "." + Base64UrlEncoder.Encode(_rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>SECURITY-CASES 65: an unsigned token.</summary>
    internal static string SignNone(JsonObject claims) => SigningInput(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }, claims) + ".";

    /// <summary>SECURITY-CASES 66: HS256 keyed with the public key's bytes, carrying the real kid.</summary>
    internal string SignHs256WithPublicKey(JsonObject claims)
    {
        var input = SigningInput(new JsonObject { ["alg"] = "HS256", ["kid"] = KeyId, ["typ"] = "JWT" }, claims);
        return input + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(_rsa.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(input)));
    }

    private static string SigningInput(JsonObject header, JsonObject claims) =>
        Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(claims.ToJsonString());
}
