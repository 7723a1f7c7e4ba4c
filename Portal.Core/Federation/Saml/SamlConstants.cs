namespace Portal.Core.Federation.Saml;

/// <summary>Namespace and algorithm URIs used by the SAML validator (SAML Core §1.2, XML-DSig, XML-Enc).</summary>
internal static class SamlConstants
{
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string MetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string DsigNs = "http://www.w3.org/2000/09/xmldsig#";
    public const string XencNs = "http://www.w3.org/2001/04/xmlenc#";
    public const string Xenc11Ns = "http://www.w3.org/2009/xmlenc11#";
    public const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";

    public const string StatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string BearerMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    public const string EntityFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
    public const string HttpRedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string HttpPostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    public const string EnvelopedTransform = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    public const string ExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string ExcC14nWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    public const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public const string EcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
    public const string EcdsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";

    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";
    public const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    public const string RsaOaepMgf1p = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
    public const string RsaOaep11 = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
    public const string Rsa15 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
    public const string Aes128Gcm = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
    public const string Aes192Gcm = "http://www.w3.org/2009/xmlenc11#aes192-gcm";
    public const string Aes256Gcm = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
    public const string Aes128Cbc = "http://www.w3.org/2001/04/xmlenc#aes128-cbc";
    public const string Aes192Cbc = "http://www.w3.org/2001/04/xmlenc#aes192-cbc";
    public const string Aes256Cbc = "http://www.w3.org/2001/04/xmlenc#aes256-cbc";
    public const string Mgf1Sha256 = "http://www.w3.org/2009/xmlenc11#mgf1sha256";

    public static readonly HashSet<string> AllowedSignatureMethods =
        [RsaSha256, RsaSha384, RsaSha512, EcdsaSha256, EcdsaSha384, EcdsaSha512];

    public static readonly HashSet<string> AllowedDigestMethods = [Sha256, Sha384, Sha512];

    public static readonly HashSet<string> AllowedCanonicalizations = [ExcC14n, ExcC14nWithComments];
}
