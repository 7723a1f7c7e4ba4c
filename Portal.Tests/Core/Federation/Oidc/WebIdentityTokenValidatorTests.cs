using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Core.Federation.Oidc;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Federation.Oidc;

/// <summary>Token validation for AssumeRoleWithWebIdentity: SECURITY-CASES groups G and H, STS-SPEC §1.3.</summary>
public sealed class WebIdentityTokenValidatorTests : IAsyncLifetime
{
    private OidcTestHarness _h = null!;

    public async Task InitializeAsync() => _h = await OidcTestHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task ValidateAsync_ValidRsaToken_ReturnsSubjectAudienceAndProvider(string algorithm)
    {
        // Arrange
        var token = _h.CreateToken();
        token.Header["alg"] = algorithm;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal(OidcTestHarness.Subject, outcome.Value!.Subject);
        Assert.Equal(OidcTestHarness.ClientId, outcome.Value!.Audience);
        Assert.Equal(OidcTestHarness.ProviderArn, outcome.Value!.ProviderArn);
        Assert.Equal("idp.test", outcome.Value!.ProviderName);
        Assert.False(outcome.Value!.MultiFactor);
    }

    [Fact]
    public async Task ValidateAsync_ValidEcToken_Accepted()
    {
        // Arrange
        var token = _h.CreateToken(OidcTestHarness.IdpEc);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ValidateAsync_TokenFromJsonWebTokenHandler_Accepted(bool ec)
    {
        // Arrange
        var key = ec ? OidcTestHarness.IdpEc : OidcTestHarness.IdpRsa;
        var payload = _h.CreateToken(key).Payload.ToJsonString();
        var token = new JsonWebTokenHandler().CreateToken(payload, key.Credentials());

        // Act
        var outcome = await _h.ValidateAsync(token);

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
    }

    [Fact]
    public async Task ValidateAsync_TokenWithoutKid_VerifiedAgainstIssuerKeys()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Header.Remove("kid");

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
    }

    [Fact]
    public async Task ValidateAsync_SameTokenTwice_BothSucceed()
    {
        // Arrange: SECURITY-CASES case 80a, SDKs resubmit the token file until it expires.
        var validator = _h.CreateValidator();
        var token = _h.CreateToken().Build();

        // Act
        var first = await _h.ValidateAsync(token, validator);
        var second = await _h.ValidateAsync(token, validator);

        // Assert
        OidcTestHarness.AssertAccepted(first);
        OidcTestHarness.AssertAccepted(second);
    }

    // Case 65: alg none / unsigned.
    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public async Task ValidateAsync_AlgNone_RejectedAsInvalidIdentityToken(string alg)
    {
        // Arrange
        var token = _h.CreateToken();
        token.Header["alg"] = alg;
        token.Header.Remove("kid");
        token.Signer = null;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "algorithm is not allowed");
        Assert.Empty(_h.Idp.Requests);
    }

    [Fact]
    public async Task ValidateAsync_AllowedAlgWithEmptySignature_RejectedAsUnsigned()
    {
        // Arrange: case 65, the signature segment stripped from a real token.
        var token = _h.CreateToken();
        token.Signer = null;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "not signed");
    }

    // Case 66: HS256 keyed with the IdP's public key.
    [Fact]
    public async Task ValidateAsync_Hs256SignedWithIdpPublicKey_Rejected()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Header["alg"] = "HS256";
        var secret = OidcTestHarness.IdpRsa.PublicKeyBytes();
        token.Signer = input => HMACSHA256.HashData(secret, input);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "algorithm is not allowed");
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("HS512")]
    [InlineData("rs256")]
    [InlineData("ES256K")]
    public async Task ValidateAsync_AlgorithmOutsideAllowList_Rejected(string alg)
    {
        // Arrange: STS-SPEC §1.3 allows RS256/384/512 and ES256/384/512 only.
        var token = _h.CreateToken();
        token.Header["alg"] = alg;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "algorithm is not allowed");
    }

    // Case 67: keys inside the token header.
    [Theory]
    [InlineData("jwk")]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("x5c")]
    public async Task ValidateAsync_KeyCarryingHeaderWithEvilSignature_RejectedWithoutFetch(string parameter)
    {
        // Arrange
        var token = _h.CreateToken(OidcTestHarness.EvilRsa);
        token.Header[parameter] = parameter switch
        {
            "jwk" => OidcTestHarness.EvilRsa.ToJwk(),
            "x5c" => new JsonArray(Convert.ToBase64String(OidcTestHarness.EvilRsa.PublicKeyBytes())),
            _ => "https://attacker.test/jwks.json",
        };
        _h.Idp.AddIssuer("https://attacker.test").Publish(OidcTestHarness.EvilRsa);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, $"'{parameter}' is not accepted");
        Assert.Equal(0, _h.Idp.CountRequests("attacker.test"));
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("crit")]
    [InlineData("zip")]
    public async Task ValidateAsync_ForbiddenHeaderOnOtherwiseValidToken_Rejected(string parameter)
    {
        // Arrange: the header rule holds even when the signature is K_idp's.
        var token = _h.CreateToken();
        token.Header[parameter] = parameter == "crit" ? new JsonArray("exp") : "https://attacker.test/jwks.json";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, $"'{parameter}' is not accepted");
    }

    [Fact]
    public async Task ValidateAsync_SignedByEvilKeyWithIdpKid_RejectedAsBadSignature()
    {
        // Arrange
        var token = _h.CreateToken(OidcTestHarness.EvilRsa);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Invalid token signature");
    }

    [Fact]
    public async Task ValidateAsync_EcSignedByEvilKeyWithIdpKid_RejectedAsBadSignature()
    {
        // Arrange
        var token = _h.CreateToken(OidcTestHarness.EvilEc);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Invalid token signature");
    }

    [Fact]
    public async Task ValidateAsync_Es256ZeroSignature_Rejected()
    {
        // Arrange: case 79, CVE-2022-21449 "psychic signature" r = s = 0.
        var token = _h.CreateToken(OidcTestHarness.IdpEc);
        token.Signer = _ => new byte[64];

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Invalid token signature");
    }

    [Fact]
    public async Task ValidateAsync_Es256HeaderOnRsaKid_Rejected()
    {
        // Arrange: algorithm and key type disagree.
        var token = _h.CreateToken();
        token.Header["alg"] = "ES256";
        token.Signer = input => OidcTestHarness.IdpEc.Sign(input, "ES256");

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Invalid token signature");
    }

    [Fact]
    public async Task ValidateAsync_TamperedPayload_RejectedAsBadSignature()
    {
        // Arrange
        var token = _h.CreateToken();
        var valid = token.Build().Split('.');
        token.Payload["sub"] = "repo:evil/app:ref:refs/heads/main";
        var forged = valid[0] + "." + RawToken.Segment(token.Payload) + "." + valid[2];

        // Act
        var outcome = await _h.ValidateAsync(forged);

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Invalid token signature");
    }

    // Case 68a: kid is attacker input.
    [Theory]
    [InlineData("../../../../dev/null")]
    [InlineData("' OR '1'='1")]
    [InlineData("unknown-kid")]
    public async Task ValidateAsync_UnknownKid_RejectedAsNoMatchingKey(string kid)
    {
        // Arrange
        var token = _h.CreateToken();
        token.Header["kid"] = kid;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "matches the token's kid");
    }

    [Fact]
    public async Task ValidateAsync_HugeOrNullKid_RejectedBeforeAnyFetch()
    {
        // Arrange
        var huge = _h.CreateToken();
        huge.Header["kid"] = new string('k', 10 * 1024);
        var nullKid = _h.CreateToken();
        nullKid.Header["kid"] = null;

        // Act
        var hugeOutcome = await _h.ValidateAsync(huge.Build());
        var nullOutcome = await _h.ValidateAsync(nullKid.Build());

        // Assert
        OidcTestHarness.AssertRejected(hugeOutcome, StsErrorCode.InvalidIdentityToken, "kid is invalid");
        OidcTestHarness.AssertRejected(nullOutcome, StsErrorCode.InvalidIdentityToken, "kid is invalid");
        Assert.Empty(_h.Idp.Requests);
    }

    // Cases 69 and 75: issuer.
    [Fact]
    public async Task ValidateAsync_UnregisteredIssuer_RejectedWithAwsMessageAndNoFetch()
    {
        // Arrange: correctly signed by K_evil whose JWKS is live on attacker.test.
        _h.Idp.AddIssuer("https://attacker.test").Publish(OidcTestHarness.EvilRsa);
        var token = _h.CreateToken(OidcTestHarness.EvilRsa);
        token.Payload["iss"] = "https://attacker.test";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "No OpenIDConnect provider found in your account for https://attacker.test");
        Assert.Empty(_h.Idp.Requests);
    }

    [Fact]
    public async Task ValidateAsync_IssuerWithTrailingSlash_NotMatchedToProvider()
    {
        // Arrange: case 69a, exact comparison.
        var token = _h.CreateToken();
        token.Payload["iss"] = OidcTestHarness.Issuer + "/";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "No OpenIDConnect provider found in your account for https://idp.test/");
    }

    [Fact]
    public async Task ValidateAsync_ProviderOfAnotherAccount_NotFound()
    {
        // Arrange: the lookup uses the role's account only.
        var token = _h.CreateToken().Build();

        // Act
        var outcome = await _h.CreateValidator().ValidateAsync(token, "210987654321", CancellationToken.None);

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "No OpenIDConnect provider found");
    }

    [Fact]
    public async Task ValidateAsync_UnprintableIssuer_EchoedSanitised()
    {
        // Arrange: the issuer is echoed in an XML error message.
        var token = _h.CreateToken();
        token.Payload["iss"] = "https://a\u0001b.test\u2028";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "for https://a?b.test?");
    }

    [Fact]
    public async Task ValidateAsync_ProviderOverloadWithOtherIssuer_RejectedAsIncorrectIssuer()
    {
        // Arrange: case 69e/72b, a token of IdP B presented where IdP A is expected.
        var token = _h.CreateToken();
        token.Payload["iss"] = "https://idp2.test";

        // Act
        var outcome = await _h.CreateValidator().ValidateAsync(token.Build(), OidcTestHarness.Provider, CancellationToken.None);

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Incorrect token issuer");
    }

    [Fact]
    public async Task ValidateAsync_ProviderOverloadWithValidToken_Accepted()
    {
        // Arrange
        var token = _h.CreateToken().Build();

        // Act
        var outcome = await _h.CreateValidator().ValidateAsync(token, OidcTestHarness.Provider, CancellationToken.None);

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
    }

    [Fact]
    public async Task ValidateAsync_SecondIssuerTokenSignedWithFirstIssuerKey_Rejected()
    {
        // Arrange: case 68 (Steeltoe), keys are cached per issuer; idp2 publishes another key under the same kid.
        var idp2Key = TestKey.Rsa("idp-rsa");
        _h.Idp.AddIssuer("https://idp2.test").Publish(idp2Key);
        _h.Providers.Add(OidcTestHarness.Account, OidcTestHarness.Provider with
        {
            Issuer = "https://idp2.test",
            ProviderArn = "arn:aws:iam::123456789012:oidc-provider/idp2.test",
        });
        var validator = _h.CreateValidator();
        OidcTestHarness.AssertAccepted(await _h.ValidateAsync(_h.CreateToken().Build(), validator));
        var token = _h.CreateToken();
        token.Payload["iss"] = "https://idp2.test";

        // Act
        var outcome = await _h.ValidateAsync(token.Build(), validator);

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Invalid token signature");
    }

    // Cases 69 and 76: audience and azp.
    public static TheoryData<JsonNode, string?, string> RejectedAudiences => new()
    {
        { JsonValue.Create("client-2"), null, "Incorrect token audience" },
        { new JsonArray("client-1", "client-2"), null, "several audiences but no azp" },
        { JsonValue.Create("client-1"), "other-client", "Incorrect token audience" },
        { new JsonArray("client-1", "client-2"), "client-2", "Incorrect token audience" },
        { JsonValue.Create("other"), "client-1", "Incorrect token audience" },
        { new JsonArray(), null, "aud" },
        { JsonValue.Create(42), null, "aud" },
    };

    [Theory]
    [MemberData(nameof(RejectedAudiences))]
    public async Task ValidateAsync_AudienceNotRegistered_Rejected(JsonNode aud, string? azp, string message)
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload["aud"] = aud.DeepClone();
        if (azp is not null)
        {
            token.Payload["azp"] = azp;
        }

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, message);
    }

    [Fact]
    public async Task ValidateAsync_MissingAud_Rejected()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload.Remove("aud");

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "aud");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ValidateAsync_AudArrayWithRegisteredAzp_AudienceIsAzp(bool singleAudience)
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload["aud"] = singleAudience ? new JsonArray("client-1") : new JsonArray("client-2", "client-1");
        if (!singleAudience)
        {
            token.Payload["azp"] = "client-1";
        }

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal("client-1", outcome.Value!.Audience);
        Assert.False(outcome.Value!.ConditionKeys.ContainsKey("idp.test:oaud"));
    }

    [Fact]
    public async Task ValidateAsync_GoogleStyleAzpWithProviderFlag_AudienceIsAzpAndOaudIsAud()
    {
        // Arrange: case 76c, STS-SPEC §7.9.
        _h.Providers.Add(OidcTestHarness.Account, OidcTestHarness.Provider with { AuthorizedPartyIsAudience = true });
        var token = _h.CreateToken();
        token.Payload["aud"] = "other";
        token.Payload["azp"] = "client-1";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal("client-1", outcome.Value!.Audience);
        Assert.Equal(["other"], outcome.Value!.ConditionKeys["idp.test:oaud"]);
    }

    // Case 70 and 79: lifetime.
    [Fact]
    public async Task ValidateAsync_ExpiredBeyondSkew_ExpiredTokenExceptionWithAwsMessage()
    {
        // Arrange: case 70a with the configured 60 s skew.
        var token = _h.CreateToken();
        var exp = _h.Now - 61;
        token.Payload.Remove("nbf");
        token.Payload["exp"] = exp;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(
            outcome,
            StsErrorCode.ExpiredTokenException,
            $"Token expired: current date/time {_h.Now} must be before the expiration date/time {exp}");
    }

    [Theory]
    [InlineData(-59, true)]
    [InlineData(-60, false)]
    public async Task ValidateAsync_ExpAtSkewBoundary_ValidOnlyStrictlyBefore(int expOffset, bool accepted)
    {
        // Arrange: valid while now < exp + skew.
        var token = _h.CreateToken();
        token.Payload["exp"] = _h.Now + expOffset;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        Assert.Equal(accepted, outcome.Succeeded);
        if (!accepted)
        {
            Assert.Equal(StsErrorCode.ExpiredTokenException, outcome.Error!.Code);
        }
    }

    [Fact]
    public async Task ValidateAsync_ExpiredAndSignedByEvilKey_ReportsSignatureNotExpiry()
    {
        // Arrange: the signature is checked before the lifetime, so an attacker learns nothing from expiry.
        var token = _h.CreateToken(OidcTestHarness.EvilRsa);
        token.Payload["exp"] = _h.Now - 3600;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Invalid token signature");
    }

    [Theory]
    [InlineData(61, false)]
    [InlineData(60, true)]
    public async Task ValidateAsync_NbfInFuture_RejectedBeyondSkew(int nbfOffset, bool accepted)
    {
        // Arrange: case 70b.
        var token = _h.CreateToken();
        token.Payload["nbf"] = _h.Now + nbfOffset;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        if (accepted)
        {
            OidcTestHarness.AssertAccepted(outcome);
        }
        else
        {
            OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "not yet valid");
        }
    }

    [Fact]
    public async Task ValidateAsync_ExpBeforeNbf_Rejected()
    {
        // Arrange: case 70d.
        var token = _h.CreateToken();
        token.Payload["nbf"] = _h.Now + 30;
        token.Payload["exp"] = _h.Now + 20;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "nbf is after exp");
    }

    [Theory]
    [InlineData("exp", "missing the exp claim")]
    [InlineData("iat", "missing the iat claim")]
    [InlineData("iss", "missing the iss claim")]
    [InlineData("sub", "missing the sub claim")]
    public async Task ValidateAsync_RequiredClaimMissing_Rejected(string claim, string message)
    {
        // Arrange: case 70c for exp.
        var token = _h.CreateToken();
        token.Payload.Remove(claim);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, message);
    }

    [Theory]
    [InlineData("exp", "1768482000.5")]
    [InlineData("exp", "1.7684820E9")]
    [InlineData("exp", "\"1768482000\"")]
    [InlineData("nbf", "1768478340.25")]
    [InlineData("iat", "true")]
    public async Task ValidateAsync_NonIntegerDateClaim_Rejected(string claim, string rawJson)
    {
        // Arrange: STS-SPEC §1.3, numeric dates must be integers.
        var token = _h.CreateToken();
        token.Payload[claim] = OidcTestHarness.Raw(rawJson);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, $"'{claim}' is not an integer date");
    }

    [Theory]
    [InlineData(24 * 3600 + 61, false)]
    [InlineData(24 * 3600 + 60, true)]
    public async Task ValidateAsync_IatOlderThanMaxAge_RejectedAsTooOld(int ageSeconds, bool accepted)
    {
        // Arrange: AWS "Token too old", default one day plus skew.
        var token = _h.CreateToken();
        token.Payload["iat"] = _h.Now - ageSeconds;
        token.Payload["nbf"] = _h.Now - ageSeconds;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        if (accepted)
        {
            OidcTestHarness.AssertAccepted(outcome);
        }
        else
        {
            OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Token too old");
        }
    }

    [Fact]
    public async Task ValidateAsync_MaxTokenAgeOption_Honoured()
    {
        // Arrange
        _h.Options.MaxTokenAge = TimeSpan.FromMinutes(5);
        var token = _h.CreateToken();
        token.Payload["iat"] = _h.Now - 400;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Token too old");
    }

    [Fact]
    public async Task ValidateAsync_IatOneDayInFuture_Rejected()
    {
        // Arrange: case 70e.
        var token = _h.CreateToken();
        token.Payload["iat"] = _h.Now + (24 * 3600);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "issued in the future");
    }

    [Fact]
    public async Task ValidateAsync_ClockMovesPastExpiry_SameTokenThenExpires()
    {
        // Arrange
        var validator = _h.CreateValidator();
        var token = _h.CreateToken().Build();
        OidcTestHarness.AssertAccepted(await _h.ValidateAsync(token, validator));
        _h.Time.Advance(TimeSpan.FromSeconds(3600 + 60));

        // Act
        var outcome = await _h.ValidateAsync(token, validator);

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.ExpiredTokenException, "Token expired");
    }

    // Subject.
    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    [InlineData(255, true)]
    [InlineData(256, false)]
    public async Task ValidateAsync_SubLength_MustBeSixTo255(int length, bool accepted)
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload["sub"] = new string('s', length);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        if (accepted)
        {
            OidcTestHarness.AssertAccepted(outcome);
        }
        else
        {
            OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "sub claim must be 6 to 255");
        }
    }

    [Fact]
    public async Task ValidateAsync_NonStringSub_Rejected()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload["sub"] = 12345678;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "missing the sub claim");
    }

    // Cases 72 and 74: token type and shape.
    [Fact]
    public async Task ValidateAsync_AccessTokenType_Rejected()
    {
        // Arrange: case 72a, typ at+jwt (RFC 9068) with the IdP's key and our audience.
        var token = _h.CreateToken();
        token.Header["typ"] = "at+jwt";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "type is not JWT");
    }

    [Fact]
    public async Task ValidateAsync_TokenLongerThanLimit_RejectedBeforeAnyFetch()
    {
        // Arrange: case 74a / 80d, 25 000 characters.
        var token = _h.CreateToken();
        token.Payload["pad"] = new string('p', 25_000);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "larger than the maximum");
        Assert.Empty(_h.Idp.Requests);
    }

    [Fact]
    public async Task ValidateAsync_CompressedJwe_Rejected()
    {
        // Arrange: case 74b, five segments with zip: DEF.
        var header = RawToken.Segment(new JsonObject { ["alg"] = "RSA-OAEP", ["enc"] = "A256GCM", ["zip"] = "DEF" });

        // Act
        var outcome = await _h.ValidateAsync(header + ".a.b.c.d");

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "Encrypted (JWE)");
    }

    public static TheoryData<string> MalformedTokens => new()
    {
        "abcd",
        "a.b",
        "..sig",
        "!!!.###.$$$",
        RawToken.Segment(new JsonArray("alg")) + ".e30.c2ln",
        RawToken.Segment(new JsonObject { ["alg"] = "RS256" }) + ".bm90LWpzb24.c2ln",
        "eyJhbGciOiJSUzI1NiIsImFsZyI6Im5vbmUifQ.e30.c2ln",
    };

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task ValidateAsync_MalformedToken_RejectedNeverThrows(string token)
    {
        // Arrange: SECURITY-CASES §0.2, a parser exception must end in a rejection.
        var validator = _h.CreateValidator();

        // Act
        var outcome = await _h.ValidateAsync(token, validator);

        // Assert
        Assert.False(outcome.Succeeded);
        Assert.Equal(StsErrorCode.InvalidIdentityToken, outcome.Error.Code);
    }

    [Fact]
    public async Task ValidateAsync_DuplicatePayloadClaim_Rejected()
    {
        // Arrange: two "sub" members, a parser-differential trick.
        var token = _h.CreateToken();
        var header = RawToken.Segment(token.Header);
        var json = token.Payload.ToJsonString().TrimEnd('}') + ",\"sub\":\"repo:evil/app:ref:refs/heads/main\"}";
        var input = header + "." + Base64UrlEncoder.Encode(json);
        var signed = input + "." + Base64UrlEncoder.Encode(OidcTestHarness.IdpRsa.Sign(System.Text.Encoding.ASCII.GetBytes(input), "RS256"));

        // Act
        var outcome = await _h.ValidateAsync(signed);

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "payload is not a base64url JSON object");
    }

    // Claim mapping (STS-SPEC §1.3, §7.9).
    [Fact]
    public async Task ValidateAsync_AwsTagsAndSourceIdentity_Mapped()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload[OidcClaimMapper.TagsClaim] = OidcTestHarness.Raw(
            """{"principal_tags":{"Project":["Automation"],"Team":"Ops"},"transitive_tag_keys":["Project"]}""");
        token.Payload[OidcClaimMapper.SourceIdentityClaim] = "alice";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal([new("Project", "Automation"), new("Team", "Ops")], outcome.Value!.PrincipalTags);
        Assert.Equal(["Project"], outcome.Value!.TransitiveTagKeys);
        Assert.Equal("alice", outcome.Value!.SourceIdentity);
    }

    [Theory]
    [InlineData("""["not-an-object"]""")]
    [InlineData("""{"principal_tags":{"Project":["a","b"]}}""")]
    [InlineData("""{"principal_tags":{"Project":[1]}}""")]
    [InlineData("""{"principal_tags":[]}""")]
    [InlineData("""{"transitive_tag_keys":"Project"}""")]
    public async Task ValidateAsync_MalformedTagsClaim_Rejected(string tagsJson)
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload[OidcClaimMapper.TagsClaim] = OidcTestHarness.Raw(tagsJson);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "tags claim is malformed");
    }

    [Fact]
    public async Task ValidateAsync_NonStringSourceIdentity_Rejected()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload[OidcClaimMapper.SourceIdentityClaim] = new JsonArray("alice");

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "source_identity");
    }

    [Theory]
    [InlineData("\"mfa\"", true, true)]
    [InlineData("[\"pwd\",\"mfa\"]", true, true)]
    [InlineData("[\"pwd\",\"mfa\"]", false, false)]
    [InlineData("[\"pwd\"]", true, false)]
    public async Task ValidateAsync_Amr_MappedAndMfaOnlyWhenTrusted(string amrJson, bool trustMfa, bool multiFactor)
    {
        // Arrange
        _h.Providers.Add(OidcTestHarness.Account, OidcTestHarness.Provider with { TrustMfa = trustMfa });
        var token = _h.CreateToken();
        token.Payload["amr"] = OidcTestHarness.Raw(amrJson);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal(OidcTestHarness.Raw(amrJson) is JsonArray a ? a.Select(n => n!.GetValue<string>()) : ["mfa"], outcome.Value!.Amr);
        Assert.Equal(multiFactor, outcome.Value!.MultiFactor);
    }

    [Fact]
    public async Task ValidateAsync_MalformedAmr_Rejected()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload["amr"] = new JsonArray("pwd", 3);

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertRejected(outcome, StsErrorCode.InvalidIdentityToken, "amr claim");
    }

    [Fact]
    public async Task ValidateAsync_GroupsEmailName_MappedToPortalConditionKeys()
    {
        // Arrange
        var token = _h.CreateToken();
        token.Payload["groups"] = new JsonArray("admins", "ops");
        token.Payload["email"] = "alice@corp.test";
        token.Payload["name"] = "Alice";

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal(["admins", "ops"], outcome.Value!.ConditionKeys["portal:groups"]);
        Assert.Equal(["alice@corp.test"], outcome.Value!.ConditionKeys["portal:email"]);
        Assert.Equal(["Alice"], outcome.Value!.ConditionKeys["portal:name"]);
    }

    [Fact]
    public async Task ValidateAsync_CustomGroupsClaim_UsedInsteadOfGroups()
    {
        // Arrange
        _h.Providers.Add(OidcTestHarness.Account, OidcTestHarness.Provider with { GroupsClaim = "roles" });
        var token = _h.CreateToken();
        token.Payload["roles"] = "approver";
        token.Payload["groups"] = new JsonArray("ignored");

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal(["approver"], outcome.Value!.ConditionKeys["portal:groups"]);
    }

    [Fact]
    public async Task ValidateAsync_EmailOfAnotherUser_SubjectStaysSub()
    {
        // Arrange: case 73, identity is (iss, sub); email is only a condition key.
        var token = _h.CreateToken();
        token.Payload["email"] = "admin@corp.test";
        token.Payload["email_verified"] = false;

        // Act
        var outcome = await _h.ValidateAsync(token.Build());

        // Assert
        OidcTestHarness.AssertAccepted(outcome);
        Assert.Equal(OidcTestHarness.Subject, outcome.Value!.Subject);
    }
}
