using System.Security.Cryptography.X509Certificates;
using Portal.Authentication.Saml2.Bindings;
using Portal.Tests.Core.Federation.Saml;

namespace Portal.Tests.Api.Saml2;

public sealed class HttpRedirectBindingTests
{
    [Fact]
    public void Inflate_CompressedBombBeyondLimit_ReturnsNull()
    {
        // Arrange: SECURITY-CASES 19, a small payload that inflates past the cap.
        var bomb = HttpRedirectBinding.Deflate(new string('a', HttpRedirectBinding.DefaultMaxInflatedBytes + 1));

        // Act
        var inflated = HttpRedirectBinding.Inflate(bomb);

        // Assert
        Assert.Null(inflated);
        Assert.Equal("<x/>", HttpRedirectBinding.Inflate(HttpRedirectBinding.Deflate("<x/>")));
    }

    [Fact]
    public void BuildRequestUrl_WithSigningKey_SignsTheEncodedQuery()
    {
        // Arrange
        using var key = TestIdp.Sp.GetRSAPublicKey()!;

        // Act
        var url = HttpRedirectBinding.BuildRequestUrl("https://idp.test/sso", "<x/>", "r.s", TestIdp.Sp);

        // Assert: SAML Bindings §3.4.4.1, the signature covers SAMLRequest, RelayState and SigAlg as sent.
        var query = new Uri(url).Query.TrimStart('?');
        var signed = query[..query.IndexOf("&Signature=", StringComparison.Ordinal)];
        var signature = Convert.FromBase64String(Uri.UnescapeDataString(query[(signed.Length + "&Signature=".Length)..]));
        Assert.Contains("&SigAlg=" + Uri.EscapeDataString(HttpRedirectBinding.RsaSha256), signed, StringComparison.Ordinal);
        Assert.True(key.VerifyData(System.Text.Encoding.ASCII.GetBytes(signed), signature, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));
    }
}
