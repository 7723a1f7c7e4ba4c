using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Portal.Core.Federation.Oidc;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Federation.Oidc;

/// <summary>Discovery, JWKS caching and refresh, and outbound-fetch hardening (SECURITY-CASES cases 66, 68, 78).</summary>
public sealed class OidcKeySourceTests : IAsyncLifetime
{
    private const string Discovery = "idp.test" + FakeIdp.DiscoveryPath;
    private const string Jwks = "idp.test/jwks";

    private OidcTestHarness _h = null!;

    public async Task InitializeAsync() => _h = await OidcTestHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task GetSigningKeysAsync_RepeatedWithinCacheLifetime_FetchesOnce()
    {
        // Arrange
        var validator = _h.CreateValidator();
        var token = _h.CreateToken().Build();

        // Act
        for (var i = 0; i < 5; i++)
        {
            OidcTestHarness.AssertAccepted(await _h.ValidateAsync(token, validator));
            _h.Time.Advance(TimeSpan.FromMinutes(5));
        }

        // Assert
        Assert.Equal([Discovery, Jwks], _h.Idp.Requests);
    }

    [Fact]
    public async Task GetSigningKeysAsync_AfterCacheLifetime_Refetches()
    {
        // Arrange
        var keys = _h.CreateKeySource();
        await keys.GetSigningKeysAsync(OidcTestHarness.Provider, "idp-rsa", CancellationToken.None);
        _h.Time.Advance(_h.Options.KeyCacheLifetime);

        // Act
        var outcome = await keys.GetSigningKeysAsync(OidcTestHarness.Provider, "idp-rsa", CancellationToken.None);

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.Equal(4, _h.Idp.Requests.Count);
    }

    [Fact]
    public async Task GetSigningKeysAsync_ConcurrentFirstCalls_ShareOneFetch()
    {
        // Arrange
        var keys = _h.CreateKeySource();

        // Act
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => keys.GetSigningKeysAsync(OidcTestHarness.Provider, "idp-ec", CancellationToken.None)));

        // Assert
        Assert.All(outcomes, o => Assert.Single(o.Value!));
        Assert.Equal([Discovery, Jwks], _h.Idp.Requests);
    }

    [Fact]
    public async Task ValidateAsync_UnknownKidAfterInterval_RefreshesOnceThenRejects()
    {
        // Arrange
        var validator = _h.CreateValidator();
        OidcTestHarness.AssertAccepted(await _h.ValidateAsync(_h.CreateToken().Build(), validator));
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var token = _h.CreateToken();
        token.Header["kid"] = "rotated-away";

        // Act
        var outcome = await _h.ValidateAsync(token.Build(), validator);

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "matches the token's kid");
        Assert.Equal(4, _h.Idp.Requests.Count);
    }

    [Fact]
    public async Task ValidateAsync_SecondUnknownKidWithinInterval_DoesNotRefetch()
    {
        // Arrange: case 68b, random kids cannot drive fetches.
        var validator = _h.CreateValidator();
        OidcTestHarness.AssertAccepted(await _h.ValidateAsync(_h.CreateToken().Build(), validator));
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var first = _h.CreateToken();
        first.Header["kid"] = "random-1";
        await _h.ValidateAsync(first.Build(), validator);
        _h.Time.Advance(TimeSpan.FromSeconds(29));

        // Act
        var outcomes = new List<StsOutcome<Portal.Core.Federation.ValidatedWebIdentityToken>>();
        for (var i = 0; i < 100; i++)
        {
            var token = _h.CreateToken();
            token.Header["kid"] = "random-" + (i + 2);
            outcomes.Add(await _h.ValidateAsync(token.Build(), validator));
        }

        // Assert
        Assert.All(outcomes, o => Assert.Equal(StsErrorCode.InvalidIdentityToken, o.Error?.Code));
        Assert.Equal(4, _h.Idp.Requests.Count);
    }

    [Fact]
    public async Task ValidateAsync_UnknownKidRightAfterFirstFetch_DoesNotRefetch()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Header["kid"] = "not-published";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "matches the token's kid");
        Assert.Equal(2, _h.Idp.Requests.Count);
    }

    [Fact]
    public async Task ValidateAsync_RotatedKeyAfterInterval_AcceptedAfterOneRefresh()
    {
        // Arrange
        var validator = _h.CreateValidator();
        OidcTestHarness.AssertAccepted(await _h.ValidateAsync(_h.CreateToken().Build(), validator));
        var rotated = TestKey.Rsa("idp-rsa-2");
        _h.IdpIssuer.Publish(rotated);
        _h.Time.Advance(_h.Options.UnknownKidRefreshInterval);

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken(rotated).Build(), validator);

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal(4, _h.Idp.Requests.Count);
    }

    [Fact]
    public async Task ValidateAsync_CustomRefreshInterval_Honoured()
    {
        // Arrange
        _h.Options.UnknownKidRefreshInterval = TimeSpan.FromSeconds(5);
        var validator = _h.CreateValidator();
        OidcTestHarness.AssertAccepted(await _h.ValidateAsync(_h.CreateToken().Build(), validator));
        _h.Time.Advance(TimeSpan.FromSeconds(5));
        var token = _h.CreateToken();
        token.Header["kid"] = "unknown";

        // Act
        await _h.ValidateAsync(token.Build(), validator);

        // Assert
        Assert.Equal(4, _h.Idp.Requests.Count);
    }

    [Fact]
    public async Task GetSigningKeysAsync_SymmetricAndEncryptionKeysInJwks_Ignored()
    {
        // Arrange: case 66, no HMAC key is ever built from JWKS material.
        _h.IdpIssuer.Keys.Add(new JsonObject { ["kty"] = "oct", ["kid"] = "oct-1", ["k"] = "c2VjcmV0" });
        var encryption = TestKey.Rsa("enc-1").ToJwk();
        encryption["use"] = "enc";
        _h.IdpIssuer.Keys.Add(encryption);
        var keys = _h.CreateKeySource();

        // Act
        var oct = await keys.GetSigningKeysAsync(OidcTestHarness.Provider, "oct-1", CancellationToken.None);
        var enc = await keys.GetSigningKeysAsync(OidcTestHarness.Provider, "enc-1", CancellationToken.None);
        var all = await keys.GetSigningKeysAsync(OidcTestHarness.Provider, null, CancellationToken.None);

        // Assert
        Assert.Empty(oct.Value!);
        Assert.Empty(enc.Value!);
        Assert.Equal(["idp-rsa", "idp-ec"], all.Value!.Select(k => k.KeyId));
    }

    [Fact]
    public async Task ValidateAsync_KeyDeclaringOtherAlgorithm_NotUsed()
    {
        // Arrange: RFC 7517 §4.4, the JWK says RS512 but the token says RS256.
        _h.IdpIssuer.Keys[0]["alg"] = "RS512";

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "matches the token's kid");
    }

    // Unreachable or misbehaving IdP: IDPCommunicationError (STS-SPEC §1.3).
    [Fact]
    public async Task ValidateAsync_IdpConnectionFails_IdpCommunicationError()
    {
        // Arrange
        using var client = new HttpClient(new ThrowingHandler());
        var validator = _h.CreateValidator(_h.CreateKeySource(client));

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build(), validator);

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.IdpCommunicationError, "could not be read");
    }

    [Theory]
    [InlineData(true, 503)]
    [InlineData(false, 503)]
    [InlineData(false, 404)]
    [InlineData(true, 302)]
    [InlineData(false, 302)]
    public async Task ValidateAsync_IdpAnswersNotOk_IdpCommunicationError(bool discovery, int status)
    {
        // Arrange: case 78b, redirects are not followed.
        Func<HttpContext, FakeIssuer, Task> answer = (context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = "http://169.254.169.254/latest/meta-data/";
            return Task.CompletedTask;
        };
        if (discovery)
        {
            _h.IdpIssuer.OnDiscovery = answer;
        }
        else
        {
            _h.IdpIssuer.OnJwks = answer;
        }

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.IdpCommunicationError, $"answered {status}");
        Assert.DoesNotContain(_h.Idp.Requests, r => r.StartsWith("169.254.169.254", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateAsync_IdpRecoversAfterFailure_NextCallSucceeds()
    {
        // Arrange
        _h.IdpIssuer.OnJwks = (context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var validator = _h.CreateValidator();
        var token = _h.CreateToken().Build();
        OidcTestHarness.AssertRejected(await _h.ValidateAsync(token, validator), StsErrorCode.IdpCommunicationError, "503");
        _h.IdpIssuer.OnJwks = null;

        // Act
        var outcome = await _h.ValidateAsync(token, validator);

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
    }

    [Fact]
    public async Task ValidateAsync_JwksHangs_TimesOutAsIdpCommunicationError()
    {
        // Arrange: case 78c, the timeout runs on the TimeProvider, so the test advances it instead of sleeping.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.IdpIssuer.OnJwks = async (context, _) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        var pending = _h.ValidateAsync(_h.CreateToken().Build());
        await started.Task;

        // Act
        _h.Time.Advance(_h.Options.RequestTimeout);
        var outcome = await pending;

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.IdpCommunicationError, "timed out");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ValidateAsync_OversizedDocument_IdpCommunicationError(bool declareLength)
    {
        // Arrange: case 78c, the body is capped whether or not Content-Length announces it.
        _h.IdpIssuer.OnJwks = async (context, _) =>
        {
            var body = new byte[_h.Options.MaxJwksBytes + 1];
            Array.Fill(body, (byte)' ');
            if (declareLength)
            {
                context.Response.ContentLength = body.Length;
            }

            await context.Response.Body.WriteAsync(body);
        };

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.IdpCommunicationError, "larger than");
    }

    [Theory]
    [InlineData("""{"keys":"nope"}""")]
    [InlineData("""not json""")]
    [InlineData("""[]""")]
    public async Task ValidateAsync_JwksNotAKeySet_IdpCommunicationError(string body)
    {
        // Arrange
        _h.IdpIssuer.OnJwks = (context, _) => context.Response.WriteAsync(body);

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build());

        // Assert
        Assert.Equal(StsErrorCode.IdpCommunicationError, outcome.Error?.Code);
    }

    [Fact]
    public async Task ValidateAsync_TooManyKeys_IdpCommunicationError()
    {
        // Arrange
        _h.Options.MaxKeys = 2;
        _h.IdpIssuer.Publish(TestKey.Ec("third"));

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.IdpCommunicationError, "at most 2 keys");
    }

    [Theory]
    [InlineData("https://idp.test/")]
    [InlineData("https://evil.test")]
    [InlineData("https://IDP.test")]
    public async Task ValidateAsync_DiscoveryIssuerMismatch_IdpCommunicationErrorWithoutJwksFetch(string documentIssuer)
    {
        // Arrange: OIDC Discovery §4.3, exact equality.
        _h.IdpIssuer.DiscoveryIssuer = documentIssuer;

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.IdpCommunicationError, "does not name that issuer");
        Assert.Equal([Discovery], _h.Idp.Requests);
    }

    [Theory]
    [InlineData("http://idp.test/jwks")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("https://169.254.169.254/jwks")]
    [InlineData("https://127.0.0.1:8443/")]
    [InlineData("https://[::1]/jwks")]
    [InlineData("https://10.0.0.5/jwks")]
    [InlineData("https://192.168.1.10/jwks")]
    [InlineData("https://[fd00::1]/jwks")]
    [InlineData("https://[::ffff:10.0.0.1]/jwks")]
    [InlineData("https://user:pw@idp.test/jwks")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/jwks")]
    public async Task ValidateAsync_JwksUriNotAllowed_IdpCommunicationErrorWithoutFetch(string jwksUri)
    {
        // Arrange: case 78b.
        _h.IdpIssuer.JwksUri = jwksUri;

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build());

        // Assert
        Assert.Equal(StsErrorCode.IdpCommunicationError, outcome.Error?.Code);
        Assert.Equal([Discovery], _h.Idp.Requests);
    }

    [Fact]
    public async Task ValidateAsync_JwksOnAnotherPublicHost_Accepted()
    {
        // Arrange: Google-style, the JWKS lives on a different host than the issuer.
        _h.Idp.AddIssuer("https://keys.test").JwksPath = "/certs";
        _h.Idp.Issuers["keys.test"].Publish(OidcTestHarness.IdpRsa);
        _h.IdpIssuer.JwksUri = "https://keys.test/certs";

        // Act
        var outcome = await _h.ValidateAsync(_h.CreateToken().Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal([Discovery, "keys.test/certs"], _h.Idp.Requests);
    }

    [Fact]
    public async Task ValidateAsync_IssuerWithPath_DiscoveryAppendedToPath()
    {
        // Arrange: OIDC Discovery §4, ISSUER + "/.well-known/openid-configuration".
        const string issuer = "https://idp.test/tenants/a";
        _h.Idp.Issuers["idp.test"] = new FakeIssuer(issuer).Publish(OidcTestHarness.IdpRsa);
        _h.Providers.Add(OidcTestHarness.Account, OidcTestHarness.Provider with
        {
            Issuer = issuer,
            ProviderArn = "arn:aws:iam::123456789012:oidc-provider/idp.test/tenants/a",
        });
        var token = _h.CreateToken();
        token.Payload["iss"] = issuer;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal("idp.test/tenants/a", outcome.Value!.ProviderName);
        Assert.Equal("idp.test/tenants/a" + FakeIdp.DiscoveryPath, _h.Idp.Requests[0]);
    }

    [Fact]
    public async Task ValidateAsync_HttpLoopbackIssuerWithExplicitOption_Accepted()
    {
        // Arrange: development IdP on http://localhost, allowed only by the provider's explicit flag.
        const string issuer = "http://localhost:5001";
        _h.Idp.AddIssuer(issuer).Publish(OidcTestHarness.IdpRsa);
        _h.Providers.Add(OidcTestHarness.Account, OidcTestHarness.Provider with
        {
            Issuer = issuer,
            ProviderArn = "arn:aws:iam::123456789012:oidc-provider/localhost:5001",
            AllowHttpOnLoopback = true,
        });
        var token = _h.CreateToken();
        token.Payload["iss"] = issuer;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal("localhost:5001", outcome.Value!.ProviderName);
        Assert.Equal(["localhost" + FakeIdp.DiscoveryPath, "localhost/jwks"], _h.Idp.Requests);
    }

    [Theory]
    [InlineData("http://localhost/jwks", true, true)]
    [InlineData("http://127.0.0.1/jwks", true, true)]
    [InlineData("http://localhost/jwks", false, false)]
    [InlineData("https://localhost/jwks", false, false)]
    [InlineData("https://idp.example/jwks", false, true)]
    [InlineData("https://8.8.8.8/jwks", false, true)]
    [InlineData("https://100.64.0.1/jwks", false, false)]
    [InlineData("https://172.20.0.1/jwks", false, false)]
    [InlineData("https://0.0.0.0/jwks", false, false)]
    public void IsAllowedJwksUri_Table(string uri, bool allowHttpOnLoopback, bool allowed)
    {
        // Arrange
        var parsed = new Uri(uri);

        // Act
        var result = OidcKeySource.IsAllowedJwksUri(parsed, allowHttpOnLoopback);

        // Assert
        Assert.Equal(allowed, result);
    }

    [Fact]
    public async Task GetSigningKeysAsync_CallerCancels_StopsWaiting()
    {
        // Arrange
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.IdpIssuer.OnDiscovery = async (context, _) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        using var cts = new CancellationTokenSource();
        var pending = _h.CreateKeySource().GetSigningKeysAsync(OidcTestHarness.Provider, "idp-rsa", cts.Token);
        await started.Task;

        // Act
        await cts.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused", null, HttpStatusCode.ServiceUnavailable);
    }
}
