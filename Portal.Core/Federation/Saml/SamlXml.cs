using System.Xml;

namespace Portal.Core.Federation.Saml;

/// <summary>
/// The one hardened XML loader for every SAML document (SECURITY-CASES 18, 19, 31): DTDs prohibited,
/// no resolver, a character cap, and a depth cap checked before any recursive processing (C14N).
/// </summary>
internal static class SamlXml
{
    /// <summary>Deeper trees are never produced by real IdPs; canonicalisation recurses, so refuse them (case 19c).</summary>
    public const int MaxDepth = 64;

    public static XmlReaderSettings CreateReaderSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreProcessingInstructions = false,
        IgnoreComments = false,
        IgnoreWhitespace = false,
    };

    /// <summary>Parses <paramref name="xml"/>; throws <see cref="XmlException"/> on DTDs, size or syntax.</summary>
    public static XmlDocument Load(string xml, long maxCharacters)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var stringReader = new StringReader(xml);
        using var reader = XmlReader.Create(stringReader, CreateReaderSettings(maxCharacters));
        document.Load(reader);
        return document;
    }

    /// <summary>True when the text declares a DTD; used only to name the reason of a parse failure, never to trust.</summary>
    public static bool LooksLikeDtd(string xml) => xml.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase);

    /// <summary>The depth of the deepest element, computed without recursion.</summary>
    public static int MeasureDepth(XmlNode root)
    {
        var max = 0;
        var stack = new Stack<(XmlNode Node, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            max = Math.Max(max, depth);
            for (var child = node.FirstChild; child is not null; child = child.NextSibling)
            {
                if (child.NodeType == XmlNodeType.Element)
                {
                    stack.Push((child, depth + 1));
                }
            }
        }

        return max;
    }

    /// <summary>Every element of the subtree (including <paramref name="root"/> when it is one), in document order.</summary>
    public static IEnumerable<XmlElement> Descendants(XmlNode root)
    {
        var stack = new Stack<XmlNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is XmlElement element)
            {
                yield return element;
            }

            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
            {
                if (child.NodeType is XmlNodeType.Element or XmlNodeType.Document)
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>Element children with the given namespace and local name.</summary>
    public static List<XmlElement> Children(XmlElement parent, string ns, string localName)
    {
        var list = new List<XmlElement>();
        for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is XmlElement e && e.LocalName == localName && e.NamespaceURI == ns)
            {
                list.Add(e);
            }
        }

        return list;
    }

    /// <summary>All element children.</summary>
    public static List<XmlElement> ElementChildren(XmlElement parent)
    {
        var list = new List<XmlElement>();
        for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is XmlElement e)
            {
                list.Add(e);
            }
        }

        return list;
    }

    /// <summary>True when the element is in the namespace with the local name.</summary>
    public static bool Is(XmlElement element, string ns, string localName) =>
        element.LocalName == localName && element.NamespaceURI == ns;

    /// <summary>The value of an unqualified attribute, or null when absent.</summary>
    public static string? Attr(XmlElement element, string name) =>
        element.GetAttributeNode(name) is { } a ? a.Value : null;

    /// <summary>
    /// The text of a simple-content element, or null when it holds anything other than text and
    /// whitespace: comments, CDATA, processing instructions or elements (SECURITY-CASES 32, 33).
    /// </summary>
    public static string? StrictText(XmlElement element)
    {
        for (var child = element.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child.NodeType is not (XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
            {
                return null;
            }
        }

        return element.InnerText;
    }

    /// <summary>True when the value is an XML NCName (SAML Core §1.3.4 IDs, SECURITY-CASES 11).</summary>
    public static bool IsNcName(string value)
    {
        try
        {
            XmlConvert.VerifyNCName(value);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
