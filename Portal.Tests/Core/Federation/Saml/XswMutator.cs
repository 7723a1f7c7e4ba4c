using System.Xml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>
/// The eight XML Signature Wrapping mutations of SAML Raider's XSWHelpers (SECURITY-CASES 21–28), written with
/// namespace-aware lookups. Variants 1 and 2 need a Response signature; 3–8 an Assertion signature.
/// </summary>
internal static class XswMutator
{
    public const string EvilNameId = "admin@corp.test";

    public static void Apply(XmlDocument document, int variant)
    {
        var response = document.DocumentElement!;
        var assertion = TestIdp.Assertion(document);
        switch (variant)
        {
            case 1:
            case 2:
            {
                var signature = DirectSignature(response);
                var clone = (XmlElement)response.CloneNode(true);
                clone.RemoveChild(DirectSignature(clone));
                MakeEvil(response);
                response.SetAttribute("ID", "_evil_r");
                if (variant == 1)
                {
                    signature.AppendChild(clone);
                }
                else
                {
                    response.InsertBefore(clone, signature);
                }

                break;
            }

            case 3:
            {
                var evil = CloneWithoutSignature(assertion, "_evil_a");
                response.InsertBefore(evil, assertion);
                break;
            }

            case 4:
            {
                var evil = CloneWithoutSignature(assertion, "_evil_a");
                response.AppendChild(evil);
                response.RemoveChild(assertion);
                evil.AppendChild(assertion);
                break;
            }

            case 5:
            case 6:
            {
                var clean = CloneWithoutSignature(assertion, null);
                MakeEvil(assertion);
                assertion.SetAttribute("ID", "_evil_a");
                clean.SetAttribute("ID", "_a1");
                MakeClean(clean);
                if (variant == 5)
                {
                    response.AppendChild(clean);
                }
                else
                {
                    DirectSignature(assertion).AppendChild(clean);
                }

                break;
            }

            case 7:
            {
                var extensions = document.CreateElement("Extensions");
                var evil = CloneWithoutSignature(assertion, null);
                extensions.AppendChild(evil);
                response.InsertBefore(extensions, assertion);
                break;
            }

            case 8:
            {
                var clean = CloneWithoutSignature(assertion, null);
                MakeClean(clean);
                MakeEvil(assertion);
                var signature = DirectSignature(assertion);
                var obj = document.CreateElement("ds", "Object", SamlNs.Dsig);
                obj.AppendChild(clean);
                signature.AppendChild(obj);
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(variant));
        }
    }

    public static void MakeEvil(XmlElement scope) => TestIdp.First(scope, "NameID").InnerText = EvilNameId;

    private static void MakeClean(XmlElement scope) => TestIdp.First(scope, "NameID").InnerText = "alice@corp.test";

    /// <summary>A clone with its direct Signature removed, made evil, with a new ID when given.</summary>
    private static XmlElement CloneWithoutSignature(XmlElement assertion, string? newId)
    {
        var clone = (XmlElement)assertion.CloneNode(true);
        if (clone.GetElementsByTagName("Signature", SamlNs.Dsig).Cast<XmlElement>().FirstOrDefault(s => s.ParentNode == clone) is { } signature)
        {
            clone.RemoveChild(signature);
        }

        MakeEvil(clone);
        if (newId is not null)
        {
            clone.SetAttribute("ID", newId);
        }

        return clone;
    }

    private static XmlElement DirectSignature(XmlElement element) =>
        element.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature" && e.NamespaceURI == SamlNs.Dsig);
}
