using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>SAML Bindings §3.4.4.1 query signatures: built by the SP, verified with the IdP's registered keys only (SECURITY-CASES 16, 58).</summary>
public sealed class SamlRedirectBindingTests
{
    private const string Message = "<samlp:LogoutResponse xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\"/>";
    private const string RelayState = "abc_-123";

    [Fact]
    public void Verify_SignedWithRegisteredKey_RoundTrips()
    {
        // Arrange
        var query = SignedQuery();

        // Act
        var parsed = SamlRedirectBinding.Parse("?" + query);
        var verified = SamlRedirectBinding.Verify(parsed.Value!, [TestIdp.IdpNext, TestIdp.Idp]);

        // Assert
        Assert.True(verified.Succeeded, verified.Detail);
        Assert.False(parsed.Value!.IsRequest);
        Assert.Equal(Message, parsed.Value.Xml);
        Assert.Equal(RelayState, parsed.Value.RelayState);
    }

    [Theory]
    [InlineData("RelayState=abc_-123", "RelayState=abc_-124")]
    [InlineData("SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256", "SigAlg=http%3a%2f%2fwww.w3.org%2f2001%2f04%2fxmldsig-more%23rsa-sha256")]
    public void Verify_TamperedQuery_IsSigInvalid(string original, string tampered)
    {
        // Arrange: a changed value, and case 58e (same decoded value, different octets: the signature is over what was sent).
        var query = SignedQuery().Replace(original, tampered, StringComparison.Ordinal);

        // Act
        var verified = SamlRedirectBinding.Verify(SamlRedirectBinding.Parse(query).Value!, [TestIdp.Idp]);

        // Assert
        Assert.Equal(SamlFailureReason.SigInvalid, verified.Reason);
    }

    [Fact]
    public void Verify_SignedWithUnregisteredKey_IsSigInvalid()
    {
        // Arrange: SECURITY-CASES 2–4, a key the IdP is not configured with.
        var query = SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.ResponseParameter, Message, RelayState, TestIdp.Evil);

        // Act
        var verified = SamlRedirectBinding.Verify(SamlRedirectBinding.Parse(query).Value!, [TestIdp.Idp]);

        // Assert
        Assert.Equal(SamlFailureReason.SigInvalid, verified.Reason);
    }

    [Theory]
    [InlineData("http://www.w3.org/2000/09/xmldsig#rsa-sha1")]
    [InlineData("http://www.w3.org/2000/09/xmldsig#hmac-sha1")]
    public void Verify_WeakSigAlgEvenIfValid_IsBindingSig(string sigAlg)
    {
        // Arrange: SECURITY-CASES 16, 58d, a correct SHA-1 signature by the registered key.
        var query = SignedQuery(sigAlg, HashAlgorithmName.SHA1);

        // Act
        var verified = SamlRedirectBinding.Verify(SamlRedirectBinding.Parse(query).Value!, [TestIdp.Idp]);

        // Assert
        Assert.Equal(SamlFailureReason.BindingSig, verified.Reason);
    }

    [Fact]
    public void Verify_NoSignature_IsSigMissing()
    {
        // Arrange
        var query = SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.ResponseParameter, Message, RelayState, signingCertificate: null);

        // Act
        var verified = SamlRedirectBinding.Verify(SamlRedirectBinding.Parse(query).Value!, [TestIdp.Idp]);

        // Assert
        Assert.Equal(SamlFailureReason.SigMissing, verified.Reason);
    }

    [Theory]
    [InlineData("&RelayState=x")]
    [InlineData("&SAMLResponse=eA%3D%3D")]
    [InlineData("&SigAlg=x")]
    public void Parse_DuplicateParameter_IsBindingSig(string duplicate)
    {
        // Arrange: case 58b.
        var query = SignedQuery() + duplicate;

        // Act
        var parsed = SamlRedirectBinding.Parse(query);

        // Assert
        Assert.Equal(SamlFailureReason.BindingSig, parsed.Reason);
    }

    [Fact]
    public void Parse_RawEqualsInsideRelayState_IsBindingSig()
    {
        // Arrange: case 58a.
        var query = SignedQuery().Replace("RelayState=abc_-123", "RelayState=abc_-123=evil", StringComparison.Ordinal);

        // Act
        var parsed = SamlRedirectBinding.Parse(query);

        // Assert
        Assert.Equal(SamlFailureReason.BindingSig, parsed.Reason);
    }

    [Fact]
    public void Parse_InflatesBeyondCap_IsXmlTooLarge()
    {
        // Arrange: case 19b.
        var bomb = SamlRedirectBinding.Deflate(new string('a', SamlRedirectBinding.DefaultMaxInflatedBytes + 1));

        // Act
        var parsed = SamlRedirectBinding.Parse("SAMLResponse=" + Uri.EscapeDataString(bomb));

        // Assert
        Assert.Equal(SamlFailureReason.XmlTooLarge, parsed.Reason);
    }

    /// <summary>A query signed by K_idp; with another algorithm, signed by hand as a (non-compliant) IdP would.</summary>
    internal static string SignedQuery(string? sigAlg = null, HashAlgorithmName? hash = null, X509Certificate2? key = null, string message = Message, string parameter = SamlRedirectBinding.ResponseParameter, string? relayState = RelayState)
    {
        if (sigAlg is null)
        {
            return SamlRedirectBinding.EncodeQuery(parameter, message, relayState, key ?? TestIdp.Idp);
        }

        var unsigned = SamlRedirectBinding.EncodeQuery(parameter, message, relayState, signingCertificate: null) + "&SigAlg=" + Uri.EscapeDataString(sigAlg);
        using var rsa = (key ?? TestIdp.Idp).GetRSAPrivateKey()!;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(unsigned), hash ?? HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return unsigned + "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(signature));
    }
}
