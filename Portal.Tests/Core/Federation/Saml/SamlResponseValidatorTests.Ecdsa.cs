using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>ECDSA-signed responses (RFC 6931 §2.3.6) from IdPs with a registered EC certificate; SECURITY-CASES 2, 16.</summary>
public partial class SamlResponseValidatorTests
{
    private static readonly Lazy<X509Certificate2> EcP256 = new(() => TestIdp.CreateEcCertificate(ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256));
    private static readonly Lazy<X509Certificate2> EcP384 = new(() => TestIdp.CreateEcCertificate(ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384));
    private static readonly Lazy<X509Certificate2> EcP521 = new(() => TestIdp.CreateEcCertificate(ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512));
    private static readonly Lazy<X509Certificate2> EvilEc = new(() => TestIdp.CreateEcCertificate(ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, "CN=evil ec"));

    public static TheoryData<string, string> EcdsaMethods => new()
    {
        { "P-256", SamlConstants.EcdsaSha256 },
        { "P-384", SamlConstants.EcdsaSha384 },
        { "P-521", SamlConstants.EcdsaSha512 },
        { "P-256", SamlConstants.EcdsaSha512 },
    };

    [Theory]
    [MemberData(nameof(EcdsaMethods))]
    public async Task ValidateAsync_EcdsaSignedByRegisteredEcCertificate_Succeeds(string curve, string method)
    {
        // Arrange
        var certificate = Ec(curve);
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, certificate, EcdsaOptions(method));

        // Act
        var result = await ValidateAsync(document, CreateParameters(TestIdp.Provider(false, true, certificate)));

        // Assert
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("alice@corp.test", result.Assertion.NameId);
    }

    [Fact]
    public async Task ValidateAsync_EcdsaSignedResponseWithRsaAndEcCertificatesRegistered_Succeeds()
    {
        // Arrange: rollover from an RSA to an EC key lists both; each verifies only its own signature type.
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, EcP256.Value, EcdsaOptions(SamlConstants.EcdsaSha256));

        // Act
        var result = await ValidateAsync(document, CreateParameters(TestIdp.Provider(false, true, TestIdp.Idp, EcP256.Value)));

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    [Theory]
    [InlineData(KeyInfoContent.Certificate)]
    [InlineData(KeyInfoContent.None)]
    public async Task ValidateAsync_EcdsaSignedByUnregisteredEcKey_IsRejected(KeyInfoContent keyInfo)
    {
        // Arrange: case 2 with an EC attacker key; the embedded certificate only classifies the failure.
        var document = TestIdp.CreateResponse(nameId: XswMutator.EvilNameId);
        TestIdp.SignAssertion(document, EvilEc.Value, EcdsaOptions(SamlConstants.EcdsaSha256) with { KeyInfo = keyInfo });

        // Act
        var result = await ValidateAsync(document, CreateParameters(TestIdp.Provider(false, true, EcP256.Value)));

        // Assert
        AssertRejected(result, keyInfo == KeyInfoContent.Certificate ? SamlFailureReason.SigUntrustedKey : SamlFailureReason.SigInvalid);
    }

    [Fact]
    public async Task ValidateAsync_EcdsaSignatureWhenOnlyRsaCertificateRegistered_IsSigUntrustedKey()
    {
        // Arrange: the RSA key of the registered certificate is never tried against an ECDSA signature.
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, EcP256.Value, EcdsaOptions(SamlConstants.EcdsaSha256));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigUntrustedKey);
    }

    [Fact]
    public async Task ValidateAsync_RsaMethodNamedForEcdsaSignature_IsSigInvalid()
    {
        // Arrange: the method URI is changed to rsa-sha256 after an ECDSA signing; no key type mix-up may verify it.
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, EcP256.Value, EcdsaOptions(SamlConstants.EcdsaSha256));
        TestIdp.First(document, "SignatureMethod", SamlNs.Dsig).SetAttribute("Algorithm", SamlConstants.RsaSha256);

        // Act
        var result = await ValidateAsync(document, CreateParameters(TestIdp.Provider(false, true, EcP256.Value)));

        // Assert
        AssertRejected(result, SamlFailureReason.SigInvalid);
    }

    [Theory]
    [InlineData("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", SamlConstants.Sha256)]
    [InlineData(SamlConstants.EcdsaSha256, "http://www.w3.org/2000/09/xmldsig#sha1")]
    public async Task ValidateAsync_EcdsaWithSha1_IsSigAlg(string method, string digest)
    {
        // Arrange: case 16 for EC keys; the allow-list refuses the method before any key is tried.
        var document = TestIdp.CreateSignedResponse();
        var signature = TestIdp.First(document, "SignatureMethod", SamlNs.Dsig);
        signature.SetAttribute("Algorithm", method);
        TestIdp.First(document, "DigestMethod", SamlNs.Dsig).SetAttribute("Algorithm", digest);

        // Act
        var result = await ValidateAsync(document, CreateParameters(TestIdp.Provider(false, true, EcP256.Value)));

        // Assert
        AssertRejected(result, SamlFailureReason.SigAlg);
    }

    private static SignOptions EcdsaOptions(string method) => new() { SignatureMethod = method };

    private static X509Certificate2 Ec(string curve) => curve switch
    {
        "P-256" => EcP256.Value,
        "P-384" => EcP384.Value,
        _ => EcP521.Value,
    };
}
