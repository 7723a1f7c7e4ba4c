using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.IdentityModel.Tokens;

namespace Portal.Tests.Core.Federation.Oidc;

/// <summary>
/// An in-process identity provider (TestServer) that serves discovery and JWKS documents for several hosts and
/// records every request, so tests can assert how often, and whether at all, a host was contacted.
/// </summary>
internal sealed class FakeIdp : IAsyncDisposable
{
    internal const string DiscoveryPath = "/.well-known/openid-configuration";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private FakeIdp(WebApplication app) => _app = app;

    /// <summary>Issuers served, by host name.</summary>
    internal ConcurrentDictionary<string, FakeIssuer> Issuers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every request as <c>host/path</c>, in arrival order.</summary>
    internal IReadOnlyList<string> Requests => [.. _requests];

    internal static async Task<FakeIdp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var idp = new FakeIdp(app);
        app.Run(idp.HandleAsync);
        await app.StartAsync();
        return idp;
    }

    internal FakeIssuer AddIssuer(string issuer)
    {
        var fake = new FakeIssuer(issuer);
        Issuers[new Uri(issuer).Host] = fake;
        return fake;
    }

    /// <summary>A client whose requests, to any host, reach this server.</summary>
    internal HttpClient CreateClient() => _app.GetTestServer().CreateClient();

    internal int CountRequests(string host) => Requests.Count(r => r.StartsWith(host + "/", StringComparison.OrdinalIgnoreCase));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        _requests.Enqueue(context.Request.Host.Host + context.Request.Path);
        if (!Issuers.TryGetValue(context.Request.Host.Host, out var issuer))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var path = context.Request.Path.Value ?? string.Empty;
        if (path == new Uri(issuer.Issuer.TrimEnd('/') + DiscoveryPath).AbsolutePath)
        {
            await (issuer.OnDiscovery ?? WriteDiscoveryAsync)(context, issuer);
        }
        else if (path == issuer.JwksPath)
        {
            await (issuer.OnJwks ?? WriteJwksAsync)(context, issuer);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private static Task WriteDiscoveryAsync(HttpContext context, FakeIssuer issuer)
    {
        var document = new JsonObject
        {
            ["issuer"] = issuer.DiscoveryIssuer ?? issuer.Issuer,
            ["jwks_uri"] = issuer.JwksUri ?? new Uri(new Uri(issuer.Issuer), issuer.JwksPath).ToString(),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
        };
        return context.Response.WriteAsJsonAsync(document);
    }

    private static Task WriteJwksAsync(HttpContext context, FakeIssuer issuer) =>
        context.Response.WriteAsJsonAsync(new JsonObject { ["keys"] = new JsonArray([.. issuer.Keys.Select(k => k.DeepClone())]) });
}

/// <summary>One issuer of the <see cref="FakeIdp"/> and the knobs tests turn.</summary>
internal sealed class FakeIssuer(string issuer)
{
    internal string Issuer { get; } = issuer;

    internal string JwksPath { get; set; } = "/jwks";

    /// <summary>The published JWKS entries.</summary>
    internal List<JsonObject> Keys { get; } = [];

    /// <summary>Overrides the discovery document's issuer.</summary>
    internal string? DiscoveryIssuer { get; set; }

    /// <summary>Overrides the discovery document's jwks_uri.</summary>
    internal string? JwksUri { get; set; }

    internal Func<HttpContext, FakeIssuer, Task>? OnDiscovery { get; set; }

    internal Func<HttpContext, FakeIssuer, Task>? OnJwks { get; set; }

    internal FakeIssuer Publish(params TestKey[] keys)
    {
        Keys.AddRange(keys.Select(k => k.ToJwk()));
        return this;
    }
}

/// <summary>A signing key pair of a test IdP (K_idp) or attacker (K_evil), RSA 2048 or EC P-256.</summary>
internal sealed class TestKey
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private TestKey(string kid, RSA? rsa, ECDsa? ec)
    {
        KeyId = kid;
        _rsa = rsa;
        _ec = ec;
    }

    internal string KeyId { get; }

    internal string Algorithm => _rsa is not null ? "RS256" : "ES256";

    internal static TestKey Rsa(string kid) => new(kid, RSA.Create(2048), null);

    internal static TestKey Ec(string kid) => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The library's view of the private key, for JsonWebTokenHandler.CreateToken.</summary>
    internal SigningCredentials Credentials(string? algorithm = null) => _rsa is not null
        ? new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, algorithm ?? SecurityAlgorithms.RsaSha256)
        : new SigningCredentials(new ECDsaSecurityKey(_ec!) { KeyId = KeyId }, algorithm ?? SecurityAlgorithms.EcdsaSha256);

    /// <summary>Signs the JWS signing input with the hash of <paramref name="algorithm"/> (RS*/ES*).</summary>
    internal byte[] Sign(byte[] input, string algorithm)
    {
        var hash = algorithm[2..] switch
        {
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        return _rsa is not null ? _rsa.SignData(input, hash, RSASignaturePadding.Pkcs1) : _ec!.SignData(input, hash);
    }

    /// <summary>The public key as the bytes an attacker would misuse as an HMAC secret (SECURITY-CASES case 66).</summary>
    internal byte[] PublicKeyBytes() => _rsa is not null ? _rsa.ExportSubjectPublicKeyInfo() : _ec!.ExportSubjectPublicKeyInfo();

    internal JsonObject ToJwk(string? kid = null)
    {
        var jwk = new JsonObject { ["kid"] = kid ?? KeyId, ["use"] = "sig" };
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            jwk["kty"] = "RSA";
            jwk["n"] = Base64UrlEncoder.Encode(p.Modulus);
            jwk["e"] = Base64UrlEncoder.Encode(p.Exponent);
        }
        else
        {
            var p = _ec!.ExportParameters(false);
            jwk["kty"] = "EC";
            jwk["crv"] = "P-256";
            jwk["x"] = Base64UrlEncoder.Encode(p.Q.X);
            jwk["y"] = Base64UrlEncoder.Encode(p.Q.Y);
        }

        return jwk;
    }
}

/// <summary>
/// A raw JWS builder: any header, any payload (including non-integer dates), signed by a <see cref="TestKey"/>,
/// by a custom function (HMAC, zero signature) or not at all.
/// </summary>
internal sealed class RawToken
{
    internal JsonObject Header { get; } = [];

    internal JsonObject Payload { get; } = [];

    internal Func<byte[], byte[]>? Signer { get; set; }

    internal static string Segment(JsonNode node) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(node));

    internal string Build()
    {
        var input = Segment(Header) + "." + Segment(Payload);
        var signature = Signer is null ? string.Empty : Base64UrlEncoder.Encode(Signer(System.Text.Encoding.ASCII.GetBytes(input)));
        return input + "." + signature;
    }
}
