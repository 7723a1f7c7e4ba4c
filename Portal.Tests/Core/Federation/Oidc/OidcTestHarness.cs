using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Federation;
using Portal.Core.Federation.Oidc;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Federation.Oidc;

/// <summary>
/// The valid baseline for OIDC tests (SECURITY-CASES Appendix 1): a fake IdP at <c>https://idp.test</c> publishing
/// K_idp (RSA and EC), an unrelated K_evil, provider client id <c>client-1</c> in account 123456789012, a frozen
/// clock, and a token that validates until a test breaks it in one place.
/// </summary>
internal sealed class OidcTestHarness : IAsyncDisposable
{
    internal const string Account = "123456789012";
    internal const string Issuer = "https://idp.test";
    internal const string ProviderArn = "arn:aws:iam::123456789012:oidc-provider/idp.test";
    internal const string ClientId = "client-1";
    internal const string Subject = "repo:corp/app:ref:refs/heads/main";

    internal static readonly DateTimeOffset Start = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private OidcTestHarness(FakeIdp idp)
    {
        Idp = idp;
        IdpIssuer = idp.AddIssuer(Issuer).Publish(IdpRsa, IdpEc);
        Providers.Add(Account, Provider);
    }

    internal FakeIdp Idp { get; }

    internal FakeIssuer IdpIssuer { get; }

    internal FakeTimeProvider Time { get; } = new(Start);

    internal OidcOptions Options { get; } = new();

    internal InMemoryOidcProviderSource Providers { get; } = new();

    internal static TestKey IdpRsa { get; } = TestKey.Rsa("idp-rsa");

    internal static TestKey IdpEc { get; } = TestKey.Ec("idp-ec");

    /// <summary>K_evil uses K_idp's kid, so only the key material differs.</summary>
    internal static TestKey EvilRsa { get; } = TestKey.Rsa("idp-rsa");

    internal static TestKey EvilEc { get; } = TestKey.Ec("idp-ec");

    internal static OidcProviderConfig Provider { get; } = new()
    {
        ProviderArn = ProviderArn,
        Issuer = Issuer,
        ClientIds = [ClientId],
    };

    internal long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    internal static async Task<OidcTestHarness> StartAsync() => new(await FakeIdp.StartAsync());

    internal OidcKeySource CreateKeySource(HttpClient? client = null) =>
        new(client ?? Idp.CreateClient(), Time, Microsoft.Extensions.Options.Options.Create(Options));

    internal WebIdentityTokenValidator CreateValidator(OidcKeySource? keys = null) =>
        new(Providers, keys ?? CreateKeySource(), Time, Microsoft.Extensions.Options.Options.Create(Options));

    /// <summary>A valid token body: iss, sub, aud, iat and nbf a minute ago, exp in an hour.</summary>
    internal RawToken CreateToken(TestKey? key = null)
    {
        key ??= IdpRsa;
        var token = new RawToken();
        token.Header["alg"] = key.Algorithm;
        token.Header["typ"] = "JWT";
        token.Header["kid"] = key.KeyId;
        token.Payload["iss"] = Issuer;
        token.Payload["sub"] = Subject;
        token.Payload["aud"] = ClientId;
        token.Payload["iat"] = Now - 60;
        token.Payload["nbf"] = Now - 60;
        token.Payload["exp"] = Now + 3600;
        token.Signer = input => key.Sign(input, token.Header["alg"]!.GetValue<string>());
        return token;
    }

    /// <summary>Validates through the STS entry point (issuer looked up in the role's account).</summary>
    internal Task<StsOutcome<ValidatedWebIdentityToken>> ValidateAsync(string token, WebIdentityTokenValidator? validator = null) =>
        (validator ?? CreateValidator()).ValidateAsync(token, Account, CancellationToken.None);

    internal static void AssertRejected(StsOutcome<ValidatedWebIdentityToken> outcome, StsErrorCode code, string messageFragment)
    {
        Assert.False(outcome.Succeeded, "token was accepted");
        Assert.Equal(code, outcome.Error.Code);
        Assert.Contains(messageFragment, outcome.Error.Message, StringComparison.Ordinal);
    }

    internal static void AssertAccepted(StsOutcome<ValidatedWebIdentityToken> outcome) =>
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());

    public ValueTask DisposeAsync() => Idp.DisposeAsync();

    internal static JsonNode Raw(string json) => JsonNode.Parse(json)!;
}
