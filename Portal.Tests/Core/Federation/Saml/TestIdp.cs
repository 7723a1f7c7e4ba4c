using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>Options for <see cref="TestIdp.Sign"/> (SECURITY-CASES Appendix 1).</summary>
internal sealed record SignOptions
{
    public string? ReferenceUri { get; init; }

    public string SignatureMethod { get; init; } = SignedXml.XmlDsigRSASHA256Url;

    public string DigestMethod { get; init; } = SignedXml.XmlDsigSHA256Url;

    public IReadOnlyList<Transform>? Transforms { get; init; }

    public string CanonicalizationMethod { get; init; } = SignedXml.XmlDsigExcC14NTransformUrl;

    public KeyInfoContent KeyInfo { get; init; } = KeyInfoContent.Certificate;

    /// <summary>An extra Reference to another ID in the same SignedInfo (case 12).</summary>
    public string? ExtraReferenceId { get; init; }
}

public enum KeyInfoContent
{
    Certificate,
    RsaKeyValue,
    None,
}

/// <summary>
/// The test IdP and golden fixture of SECURITY-CASES §0.1: real RSA keys in self-signed certificates, a Response
/// built as text, signed with SignedXml and mutated as a DOM afterwards.
/// </summary>
internal static class TestIdp
{
    public const string EntityId = "https://idp.test/";
    public const string Idp2EntityId = "https://idp2.test/";
    public const string SpEntityId = "https://portal.test/saml";
    public const string AcsUrl = "https://portal.test/saml/acs";
    public const string RequestId = "_req1";
    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";
    public const string RoleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    public const string RoleArn = "arn:aws:iam::111111111111:role/ReadOnly";
    public const string ProviderArn = "arn:aws:iam::111111111111:saml-provider/Corp";

    public static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<X509Certificate2> IdpCertificate = new(() => CreateCertificate("CN=idp.test"));
    private static readonly Lazy<X509Certificate2> IdpRolloverCertificate = new(() => CreateCertificate("CN=idp.test next"));
    private static readonly Lazy<X509Certificate2> Idp2Certificate = new(() => CreateCertificate("CN=idp2.test"));
    private static readonly Lazy<X509Certificate2> EvilCertificate = new(() => CreateCertificate("CN=evil.test"));
    private static readonly Lazy<X509Certificate2> SpCertificate = new(() => CreateCertificate("CN=portal.test"));

    /// <summary>K_idp.</summary>
    public static X509Certificate2 Idp => IdpCertificate.Value;

    /// <summary>The IdP's next key during rollover.</summary>
    public static X509Certificate2 IdpNext => IdpRolloverCertificate.Value;

    /// <summary>K_idp2, a legitimately configured second IdP.</summary>
    public static X509Certificate2 Idp2 => Idp2Certificate.Value;

    /// <summary>K_evil.</summary>
    public static X509Certificate2 Evil => EvilCertificate.Value;

    /// <summary>The SP encryption certificate (with private key).</summary>
    public static X509Certificate2 Sp => SpCertificate.Value;

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The unsigned golden Response (IDs _r1/_a1), with optional extra attribute statement content; the request ID and
    /// issuer are parameters so the same mutations can be posted through the real ACS for a live AuthnRequest.
    /// </summary>
    public static XmlDocument CreateResponse(string? extraAttributes = null, string nameId = "alice@corp.test", string requestId = RequestId, string issuer = EntityId)
    {
        var now = Time(Now);
        var xml = $"""
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="{now}" Destination="{AcsUrl}" InResponseTo="{requestId}"><saml:Issuer>{issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1" Version="2.0" IssueInstant="{now}"><saml:Issuer>{issuer}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{nameId}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="{AcsUrl}" InResponseTo="{requestId}" NotOnOrAfter="{Time(Now.AddMinutes(5))}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{Time(Now.AddMinutes(-1))}" NotOnOrAfter="{Time(Now.AddMinutes(5))}"><saml:AudienceRestriction><saml:Audience>{SpEntityId}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{now}" SessionIndex="_s1" SessionNotOnOrAfter="{Time(Now.AddHours(8))}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="{RoleAttribute}"><saml:AttributeValue>{RoleArn},{ProviderArn}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="{RoleSessionNameAttribute}"><saml:AttributeValue>alice</saml:AttributeValue></saml:Attribute>{extraAttributes}</saml:AttributeStatement></saml:Assertion></samlp:Response>
            """;
        return Load(xml);
    }

    public static XmlDocument Load(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(xml);
        return document;
    }

    /// <summary>The golden response with its assertion signed by K_idp.</summary>
    public static XmlDocument CreateSignedResponse()
    {
        var document = CreateResponse();
        SignAssertion(document, Idp);
        return document;
    }

    public static string Encode(XmlDocument document) => Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml));

    public static XmlElement Response(XmlDocument document) => document.DocumentElement!;

    public static XmlElement Assertion(XmlDocument document) =>
        (XmlElement)document.GetElementsByTagName("Assertion", SamlNs.Assertion)[0]!;

    public static XmlElement First(XmlNode scope, string localName, string ns = SamlNs.Assertion) =>
        scope is XmlDocument d
            ? (XmlElement)d.GetElementsByTagName(localName, ns)[0]!
            : (XmlElement)((XmlElement)scope).GetElementsByTagName(localName, ns)[0]!;

    public static void SignAssertion(XmlDocument document, X509Certificate2 certificate, SignOptions? options = null) =>
        Sign(document, Assertion(document), certificate, options);

    public static void SignResponse(XmlDocument document, X509Certificate2 certificate, SignOptions? options = null) =>
        Sign(document, Response(document), certificate, options);

    /// <summary>Enveloped signature of <paramref name="element"/>, inserted right after its Issuer (SAML Core §5.4.1).</summary>
    public static void Sign(XmlDocument document, XmlElement element, X509Certificate2 certificate, SignOptions? options = null)
    {
        options ??= new SignOptions();
        var id = element.GetAttribute("ID");
        if (id.Length == 0)
        {
            id = element.GetAttribute("id");
        }

        var signedXml = new SignedXml(document);
        if (certificate.GetRSAPrivateKey() is { } rsa)
        {
            signedXml.SigningKey = rsa;
        }
        else
        {
            signedXml.SigningKey = certificate.GetECDsaPrivateKey();
        }

        signedXml.SignedInfo!.CanonicalizationMethod = options.CanonicalizationMethod;
        signedXml.SignedInfo.SignatureMethod = options.SignatureMethod;
        var reference = new Reference(options.ReferenceUri ?? "#" + id) { DigestMethod = options.DigestMethod };
        foreach (var transform in options.Transforms ?? [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigExcC14NTransform()])
        {
            reference.AddTransform(transform);
        }

        signedXml.AddReference(reference);
        if (options.ExtraReferenceId is { } extra)
        {
            var second = new Reference("#" + extra) { DigestMethod = options.DigestMethod };
            second.AddTransform(new XmlDsigExcC14NTransform());
            signedXml.AddReference(second);
        }

        var keyInfo = new KeyInfo();
        switch (options.KeyInfo)
        {
            case KeyInfoContent.Certificate:
                keyInfo.AddClause(new KeyInfoX509Data(certificate));
                break;
            case KeyInfoContent.RsaKeyValue:
                keyInfo.AddClause(new RSAKeyValue(certificate.GetRSAPublicKey()!));
                break;
        }

        if (options.KeyInfo != KeyInfoContent.None)
        {
            signedXml.KeyInfo = keyInfo;
        }

        signedXml.ComputeSignature();
        var signature = document.ImportNode(signedXml.GetXml(), true);
        var issuer = element.GetElementsByTagName("Issuer", SamlNs.Assertion).Cast<XmlElement>().FirstOrDefault(i => i.ParentNode == element);
        element.InsertAfter(signature, issuer);
    }

    /// <summary>Replaces the assertion with an EncryptedAssertion for the SP key (RSA-OAEP + AES-GCM, or the given algorithms).</summary>
    public static void EncryptAssertion(
        XmlDocument document,
        X509Certificate2 recipient,
        string contentAlgorithm = "http://www.w3.org/2009/xmlenc11#aes256-gcm",
        string keyAlgorithm = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        string? plaintextOverride = null)
    {
        var assertion = Assertion(document);
        var plaintext = Encoding.UTF8.GetBytes(plaintextOverride ?? assertion.OuterXml);
        var gcm = contentAlgorithm.Contains("gcm", StringComparison.Ordinal);
        var keySize = contentAlgorithm.Contains("128", StringComparison.Ordinal) ? 16 : 32;
        var key = RandomNumberGenerator.GetBytes(keySize);
        byte[] cipher;
        if (gcm)
        {
            var nonce = RandomNumberGenerator.GetBytes(12);
            var encrypted = new byte[plaintext.Length];
            var tag = new byte[16];
            using var aes = new AesGcm(key, 16);
            aes.Encrypt(nonce, plaintext, encrypted, tag);
            cipher = [.. nonce, .. encrypted, .. tag];
        }
        else
        {
            using var aes = Aes.Create();
            aes.Key = key;
            var iv = RandomNumberGenerator.GetBytes(16);
            cipher = [.. iv, .. aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7)];
        }

        var padding = keyAlgorithm.EndsWith("rsa-1_5", StringComparison.Ordinal) ? RSAEncryptionPadding.Pkcs1 : RSAEncryptionPadding.OaepSHA1;
        var wrapped = recipient.GetRSAPublicKey()!.Encrypt(key, padding);
        var xml = $"""<saml:EncryptedAssertion xmlns:saml="{SamlNs.Assertion}"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="{contentAlgorithm}"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="{keyAlgorithm}"/><xenc:CipherData><xenc:CipherValue>{Convert.ToBase64String(wrapped)}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue>{Convert.ToBase64String(cipher)}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>""";
        var fragment = Load(xml).DocumentElement!;
        assertion.ParentNode!.ReplaceChild(document.ImportNode(fragment, true), assertion);
    }

    /// <summary>A self-signed EC certificate on <paramref name="curve"/> (IdPs such as Keycloak sign with ECDSA).</summary>
    public static X509Certificate2 CreateEcCertificate(ECCurve curve, HashAlgorithmName hash, string subject = "CN=idp.test ec")
    {
        using var ec = ECDsa.Create(curve);
        var request = new CertificateRequest(subject, ec, hash);
        return request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5));
    }

    /// <summary>The IdP as the SP configures it: K_idp only.</summary>
    public static SamlIdentityProvider Provider(bool allowIdpInitiated = false, bool wantAssertionsSigned = true, params X509Certificate2[] certificates) => new()
    {
        EntityId = EntityId,
        SigningCertificates = certificates.Length == 0 ? [Idp] : certificates,
        AllowIdpInitiated = allowIdpInitiated,
        WantAssertionsSigned = wantAssertionsSigned,
    };

    private static X509Certificate2 CreateCertificate(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5));
    }
}

/// <summary>Namespace URIs for test DOM edits.</summary>
internal static class SamlNs
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Dsig = "http://www.w3.org/2000/09/xmldsig#";
}
