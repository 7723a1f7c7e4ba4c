using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portal.Core.Federation.Saml;

/// <summary>
/// Validates a base64 SAML 2.0 Response (HTTP-POST binding payload or STS <c>SAMLAssertion</c>) in named,
/// spec-cited steps on one parse tree (SECURITY-CASES 31). Every failure, including any exception from the
/// XML and crypto stack, becomes a <see cref="SamlValidationResult"/> failure (SECURITY-CASES 0.2).
/// </summary>
/// <param name="logger">Receives the reason code and internal detail of every rejection (never the message itself).</param>
public sealed partial class SamlResponseValidator(ILogger<SamlResponseValidator>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<SamlResponseValidator>.Instance;

    /// <summary>Validates the response and, when everything else passed, records the assertion ID for replay detection.</summary>
    /// <param name="base64Response">The base64 of the whole <c>samlp:Response</c>.</param>
    /// <param name="parameters">What the response must match.</param>
    /// <param name="cancellationToken">Cancels the replay-cache call.</param>
    public async Task<SamlValidationResult> ValidateAsync(string base64Response, SamlValidationParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(base64Response);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.EnsureValid();

        ValidatedMessage message;
        try
        {
            message = Validate(base64Response, parameters);
        }
        catch (SamlRejectedException ex)
        {
            return Reject(ex.Reason, ex.Message);
        }
        catch (Exception ex) when (ex is XmlException or CryptographicException or FormatException or InvalidOperationException
            or ArgumentException or NotSupportedException or OverflowException or InvalidCastException or NullReferenceException
            or IndexOutOfRangeException)
        {
            // SECURITY-CASES 0.2: whatever the XML stack throws is a rejection, never a 500 and never an accept.
            return Reject(SamlFailureReason.XmlMalformed, $"{ex.GetType().Name}: {ex.Message}");
        }

        // SAML Profiles §4.1.4.5 and SECURITY-CASES 48, 51: consume the ID only after every other check passed,
        // so a rejected message cannot burn the ID of a legitimate one.
        var assertion = message.Assertion;
        if (parameters.EnforceOneTimeUse || assertion.OneTimeUse)
        {
            var key = assertion.Issuer + " " + assertion.AssertionId;
            if (!await parameters.ReplayCache.TryUseAsync(key, message.ReplayExpiresAt, cancellationToken).ConfigureAwait(false))
            {
                return Reject(SamlFailureReason.Replay, $"Assertion {assertion.AssertionId} was already used.");
            }
        }

        return SamlValidationResult.Success(assertion);
    }

    private SamlValidationResult Reject(SamlFailureReason reason, string detail)
    {
        _logger.LogInformation("SAML response rejected: {ReasonCode} {Detail}", reason.ToCode(), detail);
        return SamlValidationResult.Failure(reason, detail);
    }

    private static ValidatedMessage Validate(string base64Response, SamlValidationParameters p)
    {
        var now = p.TimeProvider.GetUtcNow();
        var document = DecodeAndParse(base64Response, p.MaxMessageBytes);
        var response = ValidateResponseEnvelope(document);

        var verified = VerifySignatures(document, document, response, p);
        ValidateResponseChildren(response);
        EnsureUniqueIds(document);
        ValidateStatus(response);

        var assertion = SelectSingleAssertion(document, response);
        var encrypted = SamlXml.Is(assertion, SamlConstants.AssertionNs, "EncryptedAssertion");
        if (encrypted)
        {
            assertion = DecryptAssertion(assertion, p);
            ValidateDepth(assertion);
            verified.UnionWith(VerifySignatures(document, assertion, response, p));
            EnsureUniqueIds(document);
            SelectSingleAssertion(document, response);
        }

        var responseSigned = verified.Contains(response);
        ValidateSignatureCoverage(responseSigned, verified.Contains(assertion), encrypted, p.IdentityProvider);

        ValidateResponseIssuer(response, p.IdentityProvider);
        ValidateDestination(response, responseSigned, p);
        ValidateIssueInstant(response, now, p);
        var data = ReadAndValidateAssertion(assertion, response, responseSigned, now, p);
        var replayUntil = (data.NotOnOrAfter is { } c && c > data.SubjectConfirmationNotOnOrAfter ? c : data.SubjectConfirmationNotOnOrAfter) + p.ClockSkew;
        return new ValidatedMessage(data, replayUntil);
    }

    /// <summary>SECURITY-CASES 18, 19: size caps before and after base64 decoding, then the one hardened parse.</summary>
    private static XmlDocument DecodeAndParse(string base64Response, int maxBytes)
    {
        // Base64 expands by 4/3; whitespace and line breaks in the form field add a little more.
        if (base64Response.Length > ((maxBytes + 2) / 3 * 4 * 2) + 4)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlTooLarge, $"Encoded message of {base64Response.Length} characters exceeds the cap.");
        }

        var compact = base64Response.Replace("\r", string.Empty, StringComparison.Ordinal)
            .Replace("\n", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("\t", string.Empty, StringComparison.Ordinal);
        var buffer = new byte[(compact.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(compact, buffer, out var length))
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "The message is not valid base64.");
        }

        if (length > maxBytes)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlTooLarge, $"Decoded message of {length} bytes exceeds the cap of {maxBytes}.");
        }

        string xml;
        try
        {
            xml = new UTF8Encoding(false, true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "The message is not UTF-8.");
        }

        XmlDocument document;
        try
        {
            document = SamlXml.Load(xml, maxBytes);
        }
        catch (XmlException ex)
        {
            var reason = SamlXml.LooksLikeDtd(xml) ? SamlFailureReason.XmlDtd : SamlFailureReason.XmlMalformed;
            throw new SamlRejectedException(reason, "XML parse failed: " + ex.Message);
        }

        ValidateDepth(document);
        return document;
    }

    private static void ValidateDepth(XmlNode node)
    {
        if (SamlXml.MeasureDepth(node) > SamlXml.MaxDepth)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "The message nests elements too deeply.");
        }
    }

    /// <summary>SAML Core §3.2.2 / SECURITY-CASES 39: root is samlp:Response with an ID and Version 2.0.</summary>
    private static XmlElement ValidateResponseEnvelope(XmlDocument document)
    {
        var root = document.DocumentElement;
        if (root is null || !SamlXml.Is(root, SamlConstants.ProtocolNs, "Response"))
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, $"Root element is {root?.NamespaceURI}:{root?.LocalName}, not samlp:Response.");
        }

        var id = SamlXml.Attr(root, "ID");
        if (string.IsNullOrEmpty(id) || !SamlXml.IsNcName(id))
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "The Response has no valid ID.");
        }

        if (SamlXml.Attr(root, "Version") != "2.0")
        {
            throw new SamlRejectedException(SamlFailureReason.Version, "Response Version is not 2.0.");
        }

        return root;
    }

    /// <summary>
    /// SAML Core §3.2.2: Issuer?, Signature?, Extensions?, Status, then assertions. Anything else (including
    /// look-alike elements from other namespaces, SECURITY-CASES 34b) is refused.
    /// </summary>
    private static void ValidateResponseChildren(XmlElement response)
    {
        var last = -1;
        foreach (var child in SamlXml.ElementChildren(response))
        {
            var slot = child switch
            {
                _ when SamlXml.Is(child, SamlConstants.AssertionNs, "Issuer") => 0,
                _ when SamlXml.Is(child, SamlConstants.DsigNs, "Signature") => 1,
                _ when SamlXml.Is(child, SamlConstants.ProtocolNs, "Extensions") => 2,
                _ when SamlXml.Is(child, SamlConstants.ProtocolNs, "Status") => 3,
                _ when SamlXml.Is(child, SamlConstants.AssertionNs, "Assertion") || SamlXml.Is(child, SamlConstants.AssertionNs, "EncryptedAssertion") => 4,
                _ => -1,
            };

            // Out of order, unknown, or a second Issuer/Signature/Extensions/Status.
            if (slot < 0 || slot < last || (slot == last && slot < 4))
            {
                throw new SamlRejectedException(SamlFailureReason.XmlMalformed, $"Unexpected element {child.NamespaceURI}:{child.LocalName} in Response.");
            }

            last = slot;
        }

        if (SamlXml.Children(response, SamlConstants.ProtocolNs, "Status").Count != 1)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "The Response must contain exactly one Status.");
        }
    }

    /// <summary>SECURITY-CASES 8, 9: every ID/Id/id value in the whole document is unique.</summary>
    private static void EnsureUniqueIds(XmlDocument document)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in SamlXml.Descendants(document))
        {
            foreach (var name in IdAttributeNames)
            {
                if (SamlXml.Attr(element, name) is { } value && !seen.Add(value))
                {
                    throw new SamlRejectedException(SamlFailureReason.SigDupId, $"ID value '{value}' occurs more than once.");
                }
            }
        }
    }

    /// <summary>SAML Core §3.2.2.2 / SECURITY-CASES 38: top-level StatusCode must be Success.</summary>
    private static void ValidateStatus(XmlElement response)
    {
        var status = SamlXml.Children(response, SamlConstants.ProtocolNs, "Status")[0];
        var codes = SamlXml.Children(status, SamlConstants.ProtocolNs, "StatusCode");
        if (codes.Count != 1 || SamlXml.Attr(codes[0], "Value") != SamlConstants.StatusSuccess
            || SamlXml.Children(codes[0], SamlConstants.ProtocolNs, "StatusCode").Count != 0)
        {
            throw new SamlRejectedException(SamlFailureReason.Status, "The Response status is not Success.");
        }
    }

    /// <summary>
    /// SECURITY-CASES 23, 24, 27, 29, 56: exactly one Assertion or EncryptedAssertion in the whole document
    /// (by namespace URI), and it is a child of the Response.
    /// </summary>
    private static XmlElement SelectSingleAssertion(XmlDocument document, XmlElement response)
    {
        var all = SamlXml.Descendants(document)
            .Where(e => SamlXml.Is(e, SamlConstants.AssertionNs, "Assertion") || SamlXml.Is(e, SamlConstants.AssertionNs, "EncryptedAssertion"))
            .ToList();
        if (all.Count != 1 || !ReferenceEquals(all[0].ParentNode, response))
        {
            throw new SamlRejectedException(SamlFailureReason.AssertionCount, $"Expected exactly one assertion directly in the Response, found {all.Count}.");
        }

        return all[0];
    }

    /// <summary>
    /// SECURITY-CASES 1, 53 and SAML Profiles §4.1.3.5: the assertion must be signed (or, if the IdP signs responses
    /// only, the Response must be); an encrypted assertion without a signature is refused as ENC_UNSIGNED.
    /// </summary>
    private static void ValidateSignatureCoverage(bool responseSigned, bool assertionSigned, bool encrypted, SamlIdentityProvider idp)
    {
        if (assertionSigned || (responseSigned && !idp.WantAssertionsSigned))
        {
            return;
        }

        throw new SamlRejectedException(
            encrypted ? SamlFailureReason.EncUnsigned : SamlFailureReason.SigMissing,
            responseSigned ? "The assertion is not signed and the IdP requires signed assertions." : "Neither the Response nor the assertion is signed.");
    }

    /// <summary>SAML Core §3.2.2 / SECURITY-CASES 40: a Response Issuer, when present, is the IdP, in entity format.</summary>
    private static void ValidateResponseIssuer(XmlElement response, SamlIdentityProvider idp)
    {
        var issuers = SamlXml.Children(response, SamlConstants.AssertionNs, "Issuer");
        if (issuers.Count == 0)
        {
            return;
        }

        ValidateIssuerElement(issuers[0], idp, "Response");
    }

    private static void ValidateIssuerElement(XmlElement issuer, SamlIdentityProvider idp, string where)
    {
        var format = SamlXml.Attr(issuer, "Format");
        if (format is not null && format != SamlConstants.EntityFormat)
        {
            throw new SamlRejectedException(SamlFailureReason.Issuer, $"{where} Issuer Format is not the entity format.");
        }

        if (!string.Equals(SamlXml.StrictText(issuer), idp.EntityId, StringComparison.Ordinal))
        {
            throw new SamlRejectedException(SamlFailureReason.Issuer, $"{where} Issuer does not equal the IdP entity ID.");
        }
    }

    /// <summary>
    /// SAML Bindings §3.5.5.2 / SECURITY-CASES 42: a signed Response must carry a Destination; any Destination must
    /// equal one of the expected values exactly.
    /// </summary>
    private static void ValidateDestination(XmlElement response, bool responseSigned, SamlValidationParameters p)
    {
        var destination = SamlXml.Attr(response, "Destination");
        if (destination is null)
        {
            if (responseSigned)
            {
                throw new SamlRejectedException(SamlFailureReason.Destination, "A signed Response has no Destination.");
            }

            return;
        }

        if (!p.ExpectedDestinations.Contains(destination, StringComparer.Ordinal))
        {
            throw new SamlRejectedException(SamlFailureReason.Destination, $"Destination '{destination}' is not this endpoint.");
        }
    }

    /// <summary>SECURITY-CASES 47: IssueInstant is a UTC time, not in the future beyond skew and not older than the freshness window.</summary>
    private static void ValidateIssueInstant(XmlElement element, DateTimeOffset now, SamlValidationParameters p)
    {
        var issueInstant = SamlDateTime.ReadOptional(element, "IssueInstant")
            ?? throw new SamlRejectedException(SamlFailureReason.TimeFormat, $"{element.LocalName} has no IssueInstant.");
        if (issueInstant > now + p.ClockSkew)
        {
            throw new SamlRejectedException(SamlFailureReason.NotYetValid, $"{element.LocalName} IssueInstant is in the future.");
        }

        if (issueInstant + p.MaxIssueInstantAge <= now - p.ClockSkew)
        {
            throw new SamlRejectedException(SamlFailureReason.Expired, $"{element.LocalName} IssueInstant is too old.");
        }
    }

    private static readonly string[] IdAttributeNames = ["ID", "Id", "id"];

    private sealed record ValidatedMessage(SamlAssertionData Assertion, DateTimeOffset ReplayExpiresAt);
}
