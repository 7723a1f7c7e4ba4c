using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http.Features;
using Portal.Core.Federation.Saml;

namespace Portal.Authentication.Saml2.Bindings;

/// <summary>What arrived at the ACS by HTTP-POST (SAML Bindings §3.5), read once per request.</summary>
/// <param name="SamlResponse">The base64 <c>SAMLResponse</c>, or null when absent or refused.</param>
/// <param name="RelayState">The <c>RelayState</c>, or null.</param>
/// <param name="UnverifiedIssuer">
/// The Response's Issuer read without any trust: used only to pick which IdP's keys verify an unsolicited response.
/// </param>
/// <param name="Problem">The reason code when the form itself is unusable (e.g. <c>XML_TOO_LARGE</c>).</param>
public sealed record Saml2PostMessage(string? SamlResponse, string? RelayState, string? UnverifiedIssuer, string? Problem);

/// <summary>Reads the HTTP-POST binding form, bounded in size, and caches the result in <see cref="HttpContext.Items"/>.</summary>
public static class HttpPostBinding
{
    /// <summary>Cap on the whole form body; the validator caps the decoded XML again (SECURITY-CASES 19).</summary>
    public const int MaxFormBytes = (SamlValidationParameters.DefaultMaxMessageBytes * 2) + 4096;

    private static readonly object CacheKey = new();

    /// <summary>Reads (once) the posted message.</summary>
    public static async Task<Saml2PostMessage> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(CacheKey, out var cached) && cached is Saml2PostMessage message)
        {
            return message;
        }

        message = await ReadCoreAsync(context.Request).ConfigureAwait(false);
        context.Items[CacheKey] = message;
        return message;
    }

    private static async Task<Saml2PostMessage> ReadCoreAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return new(null, null, null, "XML_MALFORMED");
        }

        if (request.ContentLength > MaxFormBytes)
        {
            return new(null, null, null, "XML_TOO_LARGE");
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return new(null, null, null, "XML_TOO_LARGE");
        }

        // SAML Bindings §3.5.4: exactly one SAMLResponse; a duplicate parameter is a tampering signal (SECURITY-CASES 58).
        var responses = form["SAMLResponse"];
        var relayStates = form["RelayState"];
        if (responses.Count != 1 || relayStates.Count > 1 || string.IsNullOrEmpty(responses[0]))
        {
            return new(null, null, null, "XML_MALFORMED");
        }

        var response = responses[0]!;
        return new(response, relayStates.Count == 1 ? relayStates[0] : null, PeekIssuer(response), null);
    }

    /// <summary>The Response's direct Issuer child, read with the hardened settings; null when unreadable.</summary>
    internal static string? PeekIssuer(string base64)
    {
        if (base64.Length > MaxFormBytes)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = SamlValidationParameters.DefaultMaxMessageBytes,
            IgnoreComments = false,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(Encoding.UTF8.GetString(bytes)), settings);
            reader.MoveToContent();
            if (reader.LocalName != "Response" || reader.NamespaceURI != Saml2Namespaces.Protocol || reader.IsEmptyElement)
            {
                return null;
            }

            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1)
                {
                    return reader.LocalName == "Issuer" && reader.NamespaceURI == Saml2Namespaces.Assertion
                        ? reader.ReadElementContentAsString().Trim()
                        : null;
                }
            }
        }
        catch (XmlException)
        {
        }

        return null;
    }
}
