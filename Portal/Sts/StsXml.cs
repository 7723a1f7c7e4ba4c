using System.Globalization;
using System.Text;
using System.Xml;
using Portal.Core.Sts;

namespace Portal.Sts;

/// <summary>
/// Writes Query-protocol responses exactly as STS-SPEC §3.2 and §2.1 describe: the namespace on the root,
/// <c>&lt;Op&gt;Result</c>, <c>ResponseMetadata/RequestId</c>, second-precision UTC timestamps, and the
/// <c>ErrorResponse</c> envelope with <c>Type</c>, <c>Code</c>, <c>Message</c> and a sibling <c>RequestId</c>.
/// </summary>
public sealed class StsXml : IDisposable
{
    /// <summary>The STS namespace.</summary>
    public const string StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    /// <summary>The IAM namespace.</summary>
    public const string IamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/";

    private static readonly XmlWriterSettings Settings = new() { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true };

    private readonly StringBuilder _text = new();
    private readonly XmlWriter _writer;
    private readonly string _operation;
    private readonly string _requestId;
    private readonly bool _hasResult;

    private StsXml(string operation, string ns, string requestId, bool hasResult)
    {
        _operation = operation;
        _requestId = requestId;
        _hasResult = hasResult;
        _writer = XmlWriter.Create(new StringWriter(_text, CultureInfo.InvariantCulture), Settings);
        _writer.WriteStartElement(operation + "Response", ns);
        if (hasResult)
        {
            _writer.WriteStartElement(operation + "Result");
        }
    }

    /// <summary>Starts a response document for <paramref name="operation"/>.</summary>
    public static StsXml Begin(string operation, string requestId, string ns = StsNamespace, bool hasResult = true) => new(operation, ns, requestId, hasResult);

    /// <summary>Writes a text element (skipped when the value is null: absent members are omitted).</summary>
    public StsXml Element(string name, string? value)
    {
        if (value is not null)
        {
            _writer.WriteElementString(name, XmlSafe(value));
        }

        return this;
    }

    /// <summary>Writes an integer element when it has a value.</summary>
    public StsXml Element(string name, int? value) => value is { } v ? Element(name, v.ToString(CultureInfo.InvariantCulture)) : this;

    /// <summary>Writes a boolean element.</summary>
    public StsXml Element(string name, bool value) => Element(name, value ? "true" : "false");

    /// <summary>Writes a timestamp element (<c>yyyy-MM-ddTHH:mm:ssZ</c>, STS-SPEC §3.2.4).</summary>
    public StsXml Element(string name, DateTimeOffset? value) => value is { } v ? Element(name, Timestamp(v)) : this;

    /// <summary>Opens a structure element.</summary>
    public StsXml Open(string name)
    {
        _writer.WriteStartElement(name);
        return this;
    }

    /// <summary>Closes the innermost structure element.</summary>
    public StsXml Close()
    {
        _writer.WriteEndElement();
        return this;
    }

    /// <summary>Writes the credentials structure every issuing action returns.</summary>
    public StsXml Credentials(IssuedCredentials c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return Open("Credentials")
            .Element("AccessKeyId", c.AccessKeyId)
            .Element("SecretAccessKey", c.SecretAccessKey)
            .Element("SessionToken", c.SessionToken)
            .Element("Expiration", c.Expiration)
            .Close();
    }

    /// <summary>Writes the AssumedRoleUser structure of the AssumeRole* actions.</summary>
    public StsXml AssumedRoleUser(AssumedRoleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Open("AssumedRoleUser").Element("AssumedRoleId", user.AssumedRoleId).Element("Arn", user.Arn).Close();
    }

    /// <summary>Closes the result, writes the response metadata and returns the document.</summary>
    public string End()
    {
        if (_hasResult)
        {
            _writer.WriteEndElement();
        }

        _writer.WriteStartElement("ResponseMetadata");
        _writer.WriteElementString("RequestId", _requestId);
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.Flush();
        return _text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    /// <summary>The error envelope (STS-SPEC §2.1).</summary>
    public static string Error(StsError error, string requestId, string ns = StsNamespace)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = new StringBuilder();
        using (var w = XmlWriter.Create(new StringWriter(text, CultureInfo.InvariantCulture), Settings))
        {
            w.WriteStartElement("ErrorResponse", ns);
            w.WriteStartElement("Error");
            w.WriteElementString("Type", StsErrors.FaultType(error.Code));
            w.WriteElementString("Code", error.WireCode);
            w.WriteElementString("Message", XmlSafe(error.Message));
            w.WriteEndElement();
            w.WriteElementString("RequestId", requestId);
            w.WriteEndElement();
        }

        return text.ToString();
    }

    /// <summary>The wire timestamp format.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Drops characters XML 1.0 cannot carry (messages may echo caller input).</summary>
    private static string XmlSafe(string text)
    {
        foreach (var c in text)
        {
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            {
                return string.Concat(text.Where(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch)));
            }
        }

        return text;
    }
}
