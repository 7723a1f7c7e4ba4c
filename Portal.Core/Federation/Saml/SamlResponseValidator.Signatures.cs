using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Portal.Core.Federation.Saml;

public sealed partial class SamlResponseValidator
{
    /// <summary>Algorithms SignedXml knows but SAML must not accept (SECURITY-CASES 16): reported as SIG_ALG.</summary>
    private static readonly HashSet<string> KnownWeakAlgorithms =
    [
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512",
        "http://www.w3.org/2001/04/xmldsig-more#hmac-md5",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
        "http://www.w3.org/2001/04/xmldsig-more#md5",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
        SamlConstants.Sha1,
    ];

    /// <summary>
    /// Verifies every ds:Signature inside <paramref name="scope"/> (XML-DSig core validation with SAML Core §5.4
    /// restrictions) and returns the elements they sign. Each signature must: be the only one of its parent, have one
    /// Reference <c>#ID</c> resolving by the exact, unique <c>ID</c> attribute to its own parent, which is the Response
    /// root or an Assertion directly in it; use allowed algorithms and transforms; and verify with a configured key.
    /// </summary>
    private static HashSet<XmlElement> VerifySignatures(XmlDocument document, XmlNode scope, XmlElement response, SamlValidationParameters p)
    {
        var signatures = SamlXml.Descendants(scope).Where(e => SamlXml.Is(e, SamlConstants.DsigNs, "Signature")).ToList();
        var verified = new HashSet<XmlElement>();
        foreach (var signature in signatures)
        {
            // SECURITY-CASES 13c: exactly one Signature per signed element.
            if (signature.ParentNode is not XmlElement parent
                || SamlXml.Children(parent, SamlConstants.DsigNs, "Signature").Count != 1)
            {
                throw new SamlRejectedException(SamlFailureReason.SigStructure, "More than one Signature in one element.");
            }

            verified.Add(VerifySignature(document, signature, parent, response, p.IdentityProvider));
        }

        return verified;
    }

    private static XmlElement VerifySignature(XmlDocument document, XmlElement signature, XmlElement parent, XmlElement response, SamlIdentityProvider idp)
    {
        var signedXml = LoadSignature(document, signature, null);

        // SAML Core §5.4.2 / case 12: exactly one Reference.
        if (signedXml.SignedInfo is null || signedXml.SignedInfo.References.Count != 1 || signedXml.SignedInfo.References[0] is not Reference reference)
        {
            throw new SamlRejectedException(SamlFailureReason.SigStructure, "The signature must have exactly one Reference.");
        }

        var id = ParseReferenceUri(reference.Uri);
        var target = ResolveId(document, id);
        ValidateSignatureShape(signature);

        // Cases 7, 22, 25, 29b, 30: the Reference resolves to the signature's own parent, and that element is the
        // Response root or the Assertion directly inside it — the elements whose content is read.
        if (!ReferenceEquals(target, parent))
        {
            throw new SamlRejectedException(SamlFailureReason.SigRefNotParent, "The Reference does not point at the element containing the signature.");
        }

        var isResponse = ReferenceEquals(parent, response);
        var isAssertion = SamlXml.Is(parent, SamlConstants.AssertionNs, "Assertion") && ReferenceEquals(parent.ParentNode, response);
        if (!isResponse && !isAssertion)
        {
            throw new SamlRejectedException(SamlFailureReason.SigRefNotParent, $"Signed element {parent.LocalName} is not the Response or its Assertion.");
        }

        ValidateAlgorithms(signedXml, reference);
        ValidateTransforms(reference);

        // Reference.LoadXml resolves the ID to position the enveloped-signature transform, so the verifying
        // instance is loaded again with the now-validated binding.
        VerifyWithConfiguredKeys(LoadSignature(document, signature, (id, target)), idp);
        return parent;
    }

    private static StrictSignedXml LoadSignature(XmlDocument document, XmlElement signature, (string Id, XmlElement Target)? binding)
    {
        var signedXml = new StrictSignedXml(document);
        if (binding is { } b)
        {
            signedXml.BindReference(b.Id, b.Target);
        }

        try
        {
            // .NET's structural parse refuses two SignedInfo, wrapped SignedInfo and unknown children (cases 13, 21, 26).
            signedXml.LoadXml(signature);
            return signedXml;
        }
        catch (CryptographicException ex)
        {
            throw new SamlRejectedException(SamlFailureReason.SigStructure, "Malformed Signature: " + ex.Message);
        }
        catch (FormatException ex)
        {
            // Case 6c: a SignatureValue or DigestValue that is not base64.
            throw new SamlRejectedException(SamlFailureReason.SigInvalid, "Signature value is not base64: " + ex.Message);
        }
    }

    /// <summary>SAML Core §5.4.2 / cases 10, 11: the URI is <c>#</c> followed by an NCName; no empty, xpointer or external URI.</summary>
    private static string ParseReferenceUri(string? uri)
    {
        if (uri is null || uri.Length < 2 || uri[0] != '#' || !SamlXml.IsNcName(uri[1..]))
        {
            throw new SamlRejectedException(SamlFailureReason.SigRefForm, "The Reference URI is not '#' followed by an NCName.");
        }

        return uri[1..];
    }

    /// <summary>
    /// Cases 8, 9: the value occurs once in the whole document across ID/Id/id, and on the attribute named exactly
    /// <c>ID</c> (the SAML ID attribute).
    /// </summary>
    private static XmlElement ResolveId(XmlDocument document, string id)
    {
        XmlElement? exact = null;
        var count = 0;
        foreach (var element in SamlXml.Descendants(document))
        {
            foreach (var name in IdAttributeNames)
            {
                if (SamlXml.Attr(element, name) == id)
                {
                    count++;
                    if (name == "ID")
                    {
                        exact = element;
                    }
                }
            }
        }

        if (count > 1)
        {
            throw new SamlRejectedException(SamlFailureReason.SigDupId, $"The referenced ID '{id}' occurs {count} times.");
        }

        return exact ?? throw new SamlRejectedException(
            count == 1 ? SamlFailureReason.SigIdAttr : SamlFailureReason.SigRefNotParent,
            count == 1 ? "The referenced element identifies itself with Id/id, not ID." : "The Reference resolves to no element.");
    }

    /// <summary>Case 28: SAML signatures hold SignedInfo, SignatureValue and at most a KeyInfo; no ds:Object.</summary>
    private static void ValidateSignatureShape(XmlElement signature)
    {
        string[] expected = ["SignedInfo", "SignatureValue", "KeyInfo"];
        var children = SamlXml.ElementChildren(signature);
        if (children.Count is < 2 or > 3)
        {
            throw new SamlRejectedException(SamlFailureReason.SigStructure, "Signature has unexpected children.");
        }

        for (var i = 0; i < children.Count; i++)
        {
            if (!SamlXml.Is(children[i], SamlConstants.DsigNs, expected[i]))
            {
                throw new SamlRejectedException(SamlFailureReason.SigStructure, $"Signature child {children[i].LocalName} is not allowed here.");
            }
        }
    }

    /// <summary>Case 16: allow-listed canonicalisation, signature and digest algorithms, checked before verification.</summary>
    private static void ValidateAlgorithms(SignedXml signedXml, Reference reference)
    {
        if (!SamlConstants.AllowedCanonicalizations.Contains(signedXml.SignedInfo!.CanonicalizationMethod))
        {
            throw new SamlRejectedException(SamlFailureReason.SigAlg, "Canonicalization method is not exclusive C14N.");
        }

        var signatureMethod = signedXml.SignedInfo.SignatureMethod ?? string.Empty;
        if (!SamlConstants.AllowedSignatureMethods.Contains(signatureMethod))
        {
            // An unknown URI cannot be verified at all (case 6d); a known weak one is refused by policy (case 16).
            throw new SamlRejectedException(
                KnownWeakAlgorithms.Contains(signatureMethod) ? SamlFailureReason.SigAlg : SamlFailureReason.SigInvalid,
                $"Signature method '{signatureMethod}' is not allowed.");
        }

        if (signedXml.SignedInfo.SignatureLength is not null)
        {
            throw new SamlRejectedException(SamlFailureReason.SigAlg, "HMACOutputLength is not allowed.");
        }

        if (!SamlConstants.AllowedDigestMethods.Contains(reference.DigestMethod ?? string.Empty))
        {
            throw new SamlRejectedException(SamlFailureReason.SigAlg, $"Digest method '{reference.DigestMethod}' is not allowed.");
        }
    }

    /// <summary>SAML Core §5.4.4 / case 17: exactly enveloped-signature then exclusive C14N.</summary>
    private static void ValidateTransforms(Reference reference)
    {
        var chain = reference.TransformChain;
        if (chain.Count != 2
            || chain[0].Algorithm != SamlConstants.EnvelopedTransform
            || !SamlConstants.AllowedCanonicalizations.Contains(chain[1].Algorithm ?? string.Empty))
        {
            throw new SamlRejectedException(SamlFailureReason.SigTransform, "Transforms must be enveloped-signature followed by exclusive C14N.");
        }
    }

    /// <summary>
    /// Cases 2–6: verify only with the configured certificates' public keys (never KeyInfo). If none verifies, the
    /// embedded key is tried solely to tell SIG_UNTRUSTED_KEY from SIG_INVALID in the audit log.
    /// </summary>
    private static void VerifyWithConfiguredKeys(SignedXml signedXml, SamlIdentityProvider idp)
    {
        try
        {
            foreach (var certificate in idp.SigningCertificates)
            {
                // A registered certificate verifies only signatures of its own key type (RSA or EC).
                using var key = PublicKey(certificate, signedXml.SignedInfo!.SignatureMethod);
                if (key is not null && signedXml.CheckSignature(key))
                {
                    return;
                }
            }
        }
        catch (CryptographicException ex)
        {
            throw new SamlRejectedException(SamlFailureReason.SigInvalid, "Signature verification failed: " + ex.Message);
        }

        var validWithEmbeddedKey = false;
        try
        {
            validWithEmbeddedKey = signedXml.CheckSignatureReturningKey(out var embedded) && embedded is not null;
        }
        catch (CryptographicException)
        {
            // Classification only; the message is rejected either way.
        }

        throw validWithEmbeddedKey
            ? new SamlRejectedException(SamlFailureReason.SigUntrustedKey, "Signature valid with embedded key but key not trusted.")
            : new SamlRejectedException(SamlFailureReason.SigInvalid, "The signature does not verify with any configured IdP certificate.");
    }

    private static AsymmetricAlgorithm? PublicKey(X509Certificate2 certificate, string? signatureMethod) =>
        signatureMethod is SamlConstants.EcdsaSha256 or SamlConstants.EcdsaSha384 or SamlConstants.EcdsaSha512
            ? certificate.GetECDsaPublicKey()
            : certificate.GetRSAPublicKey();
}
